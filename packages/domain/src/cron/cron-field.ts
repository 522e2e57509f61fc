import { daysInMonth, isoWeek, weekday } from './calendar.js';
import {
  type AllExpression,
  COMPILERS,
  type CronExpression,
  type FieldName,
  type FieldView,
  MAX_VALUES,
  MIN_VALUES,
} from './expressions.js';
import type { ZonedTime } from './zoned-time.js';

/** A cron expression that cannot be compiled; `field` names the job field at fault. */
export class CronFieldError extends Error {
  constructor(
    readonly field: FieldName,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'CronFieldError';
  }
}

/** The wall-clock parts of a ZonedTime that the fields read. */
export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallParts(time: ZonedTime): WallParts {
  const d = new Date(time.wallMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const SEPARATOR = / *, */;

/** One field of a cron trigger (APScheduler's BaseField and its subclasses). */
export class CronField {
  /** week and day_of_week are not datetime attributes: they are matched by stepping the day. */
  readonly real: boolean;
  readonly expressions: readonly CronExpression[];

  constructor(
    readonly name: FieldName,
    source: string | number,
    readonly isDefault = false,
  ) {
    this.real = name !== 'week' && name !== 'day_of_week';
    this.expressions = String(source)
      .trim()
      .split(SEPARATOR)
      .map((expr) => this.compile(expr));
  }

  private compile(expr: string): AllExpression {
    for (const compiler of COMPILERS[this.name]) {
      const match = expr.match(compiler.pattern);
      if (!match) continue;
      try {
        const compiled = compiler.compile(match);
        compiled.validateRange(this.name);
        return compiled;
      } catch (err) {
        throw new CronFieldError(this.name, `invalid expression ${JSON.stringify(expr)}: ${(err as Error).message}`);
      }
    }
    throw new CronFieldError(this.name, `unrecognized expression ${JSON.stringify(expr)}`);
  }

  value(parts: WallParts): number {
    switch (this.name) {
      case 'week':
        return isoWeek(parts.year, parts.month, parts.day);
      case 'day_of_week':
        return weekday(parts.year, parts.month, parts.day);
      default:
        return parts[this.name];
    }
  }

  min(): number {
    return MIN_VALUES[this.name];
  }

  max(parts: WallParts): number {
    return this.name === 'day' ? daysInMonth(parts.year, parts.month) : MAX_VALUES[this.name];
  }

  /** The smallest value at or after the date's own that some expression accepts, or null. */
  nextValue(parts: WallParts): number | null {
    const view: FieldView = {
      name: this.name,
      value: () => this.value(parts),
      min: () => this.min(),
      max: () => this.max(parts),
      year: () => parts.year,
      month: () => parts.month,
      day: () => parts.day,
    };
    let smallest: number | null = null;
    for (const expr of this.expressions) {
      const value = expr.nextValue(view);
      if (value !== null && (smallest === null || value < smallest)) smallest = value;
    }
    return smallest;
  }

  toString(): string {
    return this.expressions.map(String).join(',');
  }
}

/**
 * APScheduler 3 cron expressions, one class per expression kind, with the same parsing (anchored at the
 * start only where APScheduler's regexes are), the same validation and the same string form.
 */
import { daysInMonth, weekday } from './calendar.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export type FieldName = 'year' | 'month' | 'day' | 'week' | 'day_of_week' | 'hour' | 'minute' | 'second';

export const MIN_VALUES: Record<FieldName, number> = {
  year: 1970,
  month: 1,
  day: 1,
  week: 1,
  day_of_week: 0,
  hour: 0,
  minute: 0,
  second: 0,
};
export const MAX_VALUES: Record<FieldName, number> = {
  year: 9999,
  month: 12,
  day: 31,
  week: 53,
  day_of_week: 6,
  hour: 23,
  minute: 59,
  second: 59,
};

/** What an expression needs to know about the field it sits in and the date being tested. */
export interface FieldView {
  readonly name: FieldName;
  value(): number;
  min(): number;
  max(): number;
  year(): number;
  month(): number;
  day(): number;
}

export interface CronExpression {
  nextValue(field: FieldView): number | null;
  toString(): string;
}

export class AllExpression implements CronExpression {
  static readonly pattern = /^\*(?:\/(\d+))?$/;
  readonly step: number | null;

  constructor(step: string | number | null | undefined) {
    this.step = step === null || step === undefined ? null : Number(step);
    if (this.step === 0) throw new RangeError('Increment must be higher than 0');
  }

  validateRange(field: FieldName): void {
    const range = MAX_VALUES[field] - MIN_VALUES[field];
    if (this.step && this.step > range) {
      throw new RangeError(`the step value (${this.step}) is higher than the total range of the expression (${range})`);
    }
  }

  nextValue(field: FieldView): number | null {
    const min = field.min();
    const start = Math.max(field.value(), min);
    const next = this.step ? start + ((((this.step - (start - min)) % this.step) + this.step) % this.step) : start;
    return next <= field.max() ? next : null;
  }

  toString(): string {
    return this.step ? `*/${this.step}` : '*';
  }
}

export class RangeExpression extends AllExpression {
  static override readonly pattern = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/;
  readonly first: number;
  readonly last: number | null;

  constructor(first: number | string, last?: number | string | null, step?: number | string | null) {
    super(step);
    const firstNum = Number(first);
    let lastNum = last === null || last === undefined ? null : Number(last);
    if (lastNum === null && (step === null || step === undefined)) lastNum = firstNum;
    if (lastNum !== null && firstNum > lastNum) {
      throw new RangeError('The minimum value in a range must not be higher than the maximum');
    }
    this.first = firstNum;
    this.last = lastNum;
  }

  override validateRange(field: FieldName): void {
    super.validateRange(field);
    if (this.first < MIN_VALUES[field]) {
      throw new RangeError(`the first value (${this.first}) is lower than the minimum value (${MIN_VALUES[field]})`);
    }
    if (this.last !== null && this.last > MAX_VALUES[field]) {
      throw new RangeError(`the last value (${this.last}) is higher than the maximum value (${MAX_VALUES[field]})`);
    }
    // `last || MAX` on purpose: APScheduler treats a last value of 0 as "no last value" here.
    const range = (this.last || MAX_VALUES[field]) - this.first;
    if (this.step && this.step > range) {
      throw new RangeError(`the step value (${this.step}) is higher than the total range of the expression (${range})`);
    }
  }

  override nextValue(field: FieldView): number | null {
    const min = Math.max(field.min(), this.first);
    const max = this.last !== null ? Math.min(field.max(), this.last) : field.max();
    let next = Math.max(min, field.value());
    if (this.step) next += (((this.step - (next - min)) % this.step) + this.step) % this.step;
    return next <= max ? next : null;
  }

  protected rangeText(names?: readonly string[], base = 0): string {
    const name = (n: number) => (names ? (names[n - base] as string) : String(n));
    if (this.last !== this.first && this.last !== null) return `${name(this.first)}-${name(this.last)}`;
    return name(this.first);
  }

  override toString(): string {
    const range = this.rangeText();
    return this.step ? `${range}/${this.step}` : range;
  }
}

function nameIndex(names: readonly string[], name: string, what: string): number {
  const index = names.indexOf(name.toLowerCase());
  if (index < 0) throw new RangeError(`Invalid ${what} name "${name}"`);
  return index;
}

export class MonthRangeExpression extends RangeExpression {
  static override readonly pattern = /^([a-z]+)(?:-([a-z]+))?/i;

  constructor(first: string, last?: string | null) {
    super(nameIndex(MONTHS, first, 'month') + 1, last ? nameIndex(MONTHS, last, 'month') + 1 : null);
  }

  override toString(): string {
    return this.rangeText(MONTHS, 1);
  }
}

export class WeekdayRangeExpression extends RangeExpression {
  static override readonly pattern = /^([a-z]+)(?:-([a-z]+))?/i;

  constructor(first: string, last?: string | null) {
    super(nameIndex(WEEKDAYS, first, 'weekday'), last ? nameIndex(WEEKDAYS, last, 'weekday') : null);
  }

  override toString(): string {
    return this.rangeText(WEEKDAYS);
  }
}

const POSITIONS = ['1st', '2nd', '3rd', '4th', '5th', 'last'];

export class WeekdayPositionExpression extends AllExpression {
  static override readonly pattern = /^(1st|2nd|3rd|4th|5th|last) +(\d+|\w+)/i;
  readonly position: number;
  readonly weekday: number;

  constructor(position: string, weekdayName: string) {
    super(null);
    this.position = POSITIONS.indexOf(position.toLowerCase());
    this.weekday = nameIndex(WEEKDAYS, weekdayName, 'weekday');
  }

  override nextValue(field: FieldView): number | null {
    const firstDayWeekday = weekday(field.year(), field.month(), 1);
    const lastDay = daysInMonth(field.year(), field.month());
    let firstHit = this.weekday - firstDayWeekday + 1;
    if (firstHit <= 0) firstHit += 7;
    const target =
      this.position < 5 ? firstHit + this.position * 7 : firstHit + Math.floor((lastDay - firstHit) / 7) * 7;
    return target <= lastDay && target >= field.day() ? target : null;
  }

  override toString(): string {
    return `${POSITIONS[this.position]} ${WEEKDAYS[this.weekday]}`;
  }
}

export class LastDayOfMonthExpression extends AllExpression {
  static override readonly pattern = /^last/i;

  constructor() {
    super(null);
  }

  override nextValue(field: FieldView): number | null {
    return daysInMonth(field.year(), field.month());
  }

  override toString(): string {
    return 'last';
  }
}

type Compiler = (match: RegExpMatchArray) => AllExpression;
interface CompilerEntry {
  pattern: RegExp;
  compile: Compiler;
}

const all: CompilerEntry = { pattern: AllExpression.pattern, compile: (m) => new AllExpression(m[1]) };
const range: CompilerEntry = {
  pattern: RangeExpression.pattern,
  compile: (m) => new RangeExpression(m[1] as string, m[2], m[3]),
};

/** Which expression kinds each field accepts, in APScheduler's order of trial. */
export const COMPILERS: Record<FieldName, readonly CompilerEntry[]> = {
  year: [all, range],
  month: [
    all,
    range,
    { pattern: MonthRangeExpression.pattern, compile: (m) => new MonthRangeExpression(m[1] as string, m[2]) },
  ],
  day: [
    all,
    range,
    {
      pattern: WeekdayPositionExpression.pattern,
      compile: (m) => new WeekdayPositionExpression(m[1] as string, m[2] as string),
    },
    { pattern: LastDayOfMonthExpression.pattern, compile: () => new LastDayOfMonthExpression() },
  ],
  week: [all, range],
  day_of_week: [
    all,
    range,
    { pattern: WeekdayRangeExpression.pattern, compile: (m) => new WeekdayRangeExpression(m[1] as string, m[2]) },
  ],
  hour: [all, range],
  minute: [all, range],
  second: [all, range],
};

import { CronField, type WallParts, wallParts } from './cron-field.js';
import type { FieldName } from './expressions.js';
import { nextFireTimes, sameOffsetBetween } from './fire-times.js';
import { fromInstant, localize, type ZonedTime } from './zoned-time.js';

export const FIELD_NAMES: readonly FieldName[] = [
  'year',
  'month',
  'day',
  'week',
  'day_of_week',
  'hour',
  'minute',
  'second',
];

const DEFAULT_VALUES: Record<FieldName, string> = {
  year: '*',
  month: '1',
  day: '1',
  week: '*',
  day_of_week: '*',
  hour: '0',
  minute: '0',
  second: '0',
};

export type CronSpec = Partial<Record<FieldName, string | number>>;

/**
 * APScheduler 3.9's CronTrigger: fields more significant than the least significant one given default to
 * '*', less significant ones to their minimum (week and day_of_week to '*'); every field must match.
 */
export class CronTrigger {
  readonly fields: readonly CronField[];
  /** Searched once and found no fire from here on: nor is there one from any later time. */
  private noFireFrom = Number.POSITIVE_INFINITY;
  /**
   * The last unbounded search, kept when no UTC offset change lies between `from` and `next`: then any time
   * in [from, next) has `next` as its answer. (Across a change, APScheduler's wall-clock search can answer
   * differently from inside the interval.) Listing 10,000 jobs asks every trigger again on each request;
   * this makes that a comparison.
   */
  private lastSearch = { from: Number.POSITIVE_INFINITY, next: Number.NEGATIVE_INFINITY };

  constructor(
    spec: CronSpec,
    readonly timeZone: string,
  ) {
    const given = FIELD_NAMES.filter((name) => spec[name] !== undefined && spec[name] !== null);
    const lastGiven = given.length ? FIELD_NAMES.indexOf(given[given.length - 1] as FieldName) : -1;
    this.fields = FIELD_NAMES.map((name, i) => {
      const value = spec[name];
      if (value !== undefined && value !== null) return new CronField(name, value);
      return new CronField(name, lastGiven >= 0 && i > lastGiven ? DEFAULT_VALUES[name] : '*', true);
    });
  }

  /** The canonical text of each field, as ndscheduler shows it (`str(field)`). */
  describe(): Record<FieldName, string> {
    return Object.fromEntries(this.fields.map((f) => [f.name, f.toString()])) as Record<FieldName, string>;
  }

  /**
   * The first fire time at or after `fromMs` rounded up to the whole second, or null when there is none.
   * For the fire after a previous one, pass `previous + 1`. `withinYears` bounds the search (a schedule
   * being checked); unbounded, it is the whole calendar cycle, and a "none" is remembered.
   */
  nextFireTime(fromMs: number, withinYears?: number): number | null {
    if (fromMs >= this.noFireFrom) return null;
    const remembered = withinYears === undefined && fromMs >= this.lastSearch.from && fromMs < this.lastSearch.next;
    if (remembered) return this.lastSearch.next;
    const ceil = Math.ceil(fromMs / 1000) * 1000;
    let next = fromInstant(ceil, this.timeZone);
    // The Gregorian calendar repeats every 400 years (weekdays and ISO weeks included), so a trigger with
    // no fire in the next 401 years has none at all: APScheduler searches on to year 9999 for the same None.
    const years = withinYears ?? 401;
    const horizon = Date.UTC(new Date(next.wallMs).getUTCFullYear() + years, 0, 1);
    let fieldnum = 0;
    while (fieldnum >= 0 && fieldnum < this.fields.length) {
      if (next.wallMs >= horizon) {
        if (withinYears === undefined) this.noFireFrom = Math.min(this.noFireFrom, fromMs);
        return null;
      }
      const field = this.fields[fieldnum] as CronField;
      const parts = wallParts(next);
      const current = field.value(parts);
      const nextValue = field.nextValue(parts);
      if (nextValue === null) {
        [next, fieldnum] = this.incrementFieldValue(next, fieldnum - 1);
      } else if (nextValue > current) {
        if (field.real) {
          next = this.setFieldValue(next, fieldnum, nextValue);
          fieldnum += 1;
        } else {
          [next, fieldnum] = this.incrementFieldValue(next, fieldnum);
        }
      } else {
        fieldnum += 1;
      }
    }
    if (fieldnum >= 0) {
      if (withinYears === undefined) this.remember(fromMs, next.instantMs);
      return next.instantMs;
    }
    if (withinYears === undefined) this.noFireFrom = Math.min(this.noFireFrom, fromMs);
    return null;
  }

  private remember(from: number, next: number): void {
    const unchanged = sameOffsetBetween(from, next, this.timeZone);
    this.lastSearch = unchanged ? { from, next } : { from: Number.POSITIVE_INFINITY, next: Number.NEGATIVE_INFINITY };
  }

  /** The next `count` fire times after `fromMs` (inclusive of a fire at `fromMs` rounded up). */
  nextFireTimes(fromMs: number, count: number): number[] {
    return nextFireTimes(this, fromMs, count);
  }

  /** Increment the given field (carrying into more significant ones) and reset the less significant ones. */
  private incrementFieldValue(date: ZonedTime, fieldnumIn: number): [ZonedTime, number] {
    let fieldnum = fieldnumIn;
    const parts = wallParts(date);
    const values: Partial<Record<FieldName, number>> = {};
    let i = 0;
    while (i < this.fields.length) {
      if (fieldnum < 0) return [date, -1];
      const field = this.fields[i] as CronField;
      if (!field.real) {
        if (i === fieldnum) {
          fieldnum -= 1;
          i -= 1;
        } else {
          i += 1;
        }
        continue;
      }
      if (i < fieldnum) {
        values[field.name] = field.value(parts);
        i += 1;
      } else if (i > fieldnum) {
        values[field.name] = field.min();
        i += 1;
      } else {
        const value = field.value(parts);
        if (value === field.max(parts)) {
          fieldnum -= 1;
          i -= 1;
        } else {
          values[field.name] = value + 1;
          i += 1;
        }
      }
    }
    // pytz arithmetic: add the wall-clock difference to the instant, then read the zone's wall clock again.
    const difference = wallMsOf(values) - date.wallMs;
    return [fromInstant(date.instantMs + difference, this.timeZone), fieldnum];
  }

  private setFieldValue(date: ZonedTime, fieldnum: number, newValue: number): ZonedTime {
    const parts = wallParts(date);
    const values: Partial<Record<FieldName, number>> = {};
    this.fields.forEach((field, i) => {
      if (!field.real) return;
      values[field.name] = i < fieldnum ? field.value(parts) : i > fieldnum ? field.min() : newValue;
    });
    return localize(wallMsOf(values), this.timeZone);
  }
}

function wallMsOf(values: Partial<Record<FieldName, number>>): number {
  const v = values as Required<Pick<WallParts, keyof WallParts>>;
  const ms = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second);
  // Date.UTC maps years 0-99 to 1900-1999; cron years start at 1970 so that never applies.
  return ms;
}

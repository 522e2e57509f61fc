import { type CronExpression, CronExpressionParser } from 'cron-parser';
import { nextFireTimes, sameOffsetBetween } from './fire-times.js';
import { fromInstant, offsetAt } from './zoned-time.js';

/** A crontab line that cron-parser (or our own checks) refuses: the message says what is wrong. */
export class CrontabError extends Error {
  override name = 'CrontabError';
}

/** The @-macros crontab(5) knows, as the lines they stand for (cron-parser lacks @midnight). */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A crontab line as stored: trimmed, fields separated by one space. */
export function canonicalCrontab(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}

/**
 * A job's `cron` line (crontab syntax: 5 fields, or 6 with seconds first; names jan-dec and sun-sat; 0 and
 * 7 are Sunday; day of month OR day of week when both are restricted; the @-macros above), read by
 * cron-parser, in the job's time zone. Same interface as CronTrigger, so the API's next_run_time, the
 * schedule preview and BullMQ's repeat strategy ask it alike.
 *
 * cron-parser finds the matching wall-clock times (read in UTC, where it has no daylight saving to get
 * wrong); this class maps each to instants in the zone. Asked afresh from a time inside a repeated hour,
 * cron-parser 5.10 answers the second 01:30 after the first, and then the same instant again for ever, so
 * the mapping is ours:
 * - a wall time that does not exist (spring forward: 02:30 on a day that jumps from 02:00 to 03:00) fires
 *   once, at that wall time read in the offset before the gap (03:30 new time) — what cron-parser answers
 *   for `30 2 * * *`, and what our APScheduler engine does for field jobs;
 * - a wall time that occurs twice (fall back) fires once, at its first occurrence, when the line names its
 *   hours (`30 1 * * *` once, at 01:30 daylight time); a line whose hour field is `*` fires at both, as
 *   Vixie cron's wildcard jobs do, so `*\/5 * * * *` keeps firing every five real minutes through the
 *   repeated hour.
 */
export class CrontabTrigger {
  readonly line: string;
  private readonly expression: CronExpression;
  private readonly everyHour: boolean;

  constructor(
    line: string,
    readonly timeZone: string,
  ) {
    this.line = canonicalCrontab(line);
    const expanded = expand(this.line);
    try {
      this.expression = CronExpressionParser.parse(expanded, { tz: 'UTC', currentDate: 0 });
    } catch (err) {
      const message = (err as Error).message;
      // cron-parser's words for a day of month that none of the months given has (`0 0 30 2 *`).
      if (/Invalid explicit day of month definition/.test(message)) {
        throw new CrontabError(
          `cron: ${JSON.stringify(this.line)} never matches, so the job would never run (none of its months has that day)`,
        );
      }
      throw new CrontabError(`cron: ${JSON.stringify(this.line)}: ${message}`);
    }
    this.everyHour = this.expression.fields.hour.values.length === 24;
  }

  /** The next wall-clock time (ms, read as UTC) matching the line at or after `wallMs`, or null. */
  private nextWall(wallMs: number): number | null {
    this.expression.reset(new Date(Math.ceil(wallMs / 1000) * 1000 - 1));
    try {
      return this.expression.next().getTime();
    } catch {
      return null; // cron-parser's loop limit: no match in reach
    }
  }

  /**
   * The instants a matching wall time fires at (see the class doc), earliest first, given the zone's
   * offsets a day before and after it.
   */
  private instantsOf(wallMs: number, before: number, after: number): number[] {
    const valid = [...new Set([before, after])]
      .filter((offset) => offsetAt(wallMs - offset, this.timeZone) === offset)
      .map((offset) => wallMs - offset)
      .sort((a, b) => a - b);
    if (valid.length === 0) return [wallMs - before];
    return this.everyHour ? valid : valid.slice(0, 1);
  }

  /**
   * The first fire time at or after `fromMs` rounded up to the whole second, or null when there is none
   * (within `withinYears` when given, else within 401 years).
   */
  nextFireTime(fromMs: number, withinYears?: number): number | null {
    const from = Math.ceil(fromMs / 1000) * 1000;
    const remembered = withinYears === undefined && from >= this.lastSearch.from && from <= this.lastSearch.next;
    if (remembered) return this.lastSearch.next;
    const horizon = fromInstant(from, this.timeZone).wallMs + (withinYears ?? 401) * 366 * DAY;
    const early = offsetAt(from - 3 * HOUR, this.timeZone);
    const late = offsetAt(from + 3 * HOUR, this.timeZone);
    const best =
      early === late ? this.search(from, from + early, horizon) : this.acrossChange(from, early, late, horizon);
    if (withinYears === undefined && best !== null) this.remember(from, best);
    return best;
  }

  /**
   * The first fire at or after `from`, reading wall times from `startWall` on. Each wall time is mapped to
   * its instants (instantsOf); across an offset change a later wall time may fire earlier, so the search
   * goes on until no later one can.
   */
  private search(from: number, startWall: number, horizon: number): number | null {
    let best: number | null = null;
    for (let wall = this.nextWall(startWall); wall !== null && wall <= horizon; ) {
      const before = offsetAt(wall - DAY, this.timeZone);
      const after = offsetAt(wall + DAY, this.timeZone);
      // No later wall time fires before `best`: their instants are at least wall - largest offset.
      if (best !== null && wall - Math.max(before, after) > best) break;
      for (const instant of this.instantsOf(wall, before, after)) {
        if (instant >= from && (best === null || instant < best)) best = instant;
      }
      // The best is this wall time's only instant, with no offset change within a day of it: later wall
      // times fire later (the usual case, which saves a search).
      if (before === after && best === wall - before) break;
      wall = this.nextWall(wall + 1000);
    }
    return best;
  }

  /**
   * The first fire at or after `from` when the offset changes from `o1` to `o2` within 3 hours of it: the
   * wall times before the change, those a spring-forward skips, and those after it are each monotone in
   * their own offset, so each takes one look instead of a walk through every wall time of the hour.
   */
  private acrossChange(from: number, o1: number, o2: number, horizon: number): number | null {
    // The instant of the change, to the second (changes fall on whole seconds).
    let lo = from - 3 * HOUR;
    let hi = from + 3 * HOUR;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (offsetAt(mid, this.timeZone) === o1) lo = mid;
      else hi = mid;
    }
    const change = hi;
    if (from < change) {
      const wall = this.nextWall(from + o1);
      if (wall !== null && wall < change + o1) return wall - o1;
    }
    const after = Math.max(from, change);
    let skipped: number | null = null;
    if (o2 > o1) {
      // Spring forward: wall times in [change + o1, change + o2) do not exist; each fires at wall - o1.
      const wall = this.nextWall(after + o1);
      if (wall !== null && wall < change + o2) skipped = wall - o1;
    }
    // Fall back: wall times in [change + o2, change + o1) come again; only a line with hour '*' fires then.
    const start = o2 < o1 && !this.everyHour ? Math.max(after + o2, change + o1) : after + o2;
    const wall = this.nextWall(start);
    let later: number | null = null;
    if (wall !== null && wall <= horizon) {
      const instant = wall - o2;
      const sameOffset = instant - change <= 14 * DAY && offsetAt(instant, this.timeZone) === o2;
      later = sameOffset ? instant : this.search(after, start, horizon);
    }
    if (skipped === null) return later;
    return later === null ? skipped : Math.min(skipped, later);
  }

  /**
   * The last unbounded search, kept when no UTC offset change lies between `from` and `next`: then any time
   * in [from, next] has `next` as its answer. The API's job list asks every trigger again on each request.
   */
  private lastSearch = { from: Number.POSITIVE_INFINITY, next: Number.NEGATIVE_INFINITY };

  private remember(from: number, next: number): void {
    const unchanged = sameOffsetBetween(from, next, this.timeZone);
    this.lastSearch = unchanged ? { from, next } : { from: Number.POSITIVE_INFINITY, next: Number.NEGATIVE_INFINITY };
  }

  /** The next `count` fire times after `fromMs` (inclusive of a fire at `fromMs` rounded up). */
  nextFireTimes(fromMs: number, count: number): number[] {
    return nextFireTimes(this, fromMs, count);
  }
}

/** The line cron-parser is given: a macro expanded; 5 or 6 fields; no `H` (a random value per parse). */
function expand(line: string): string {
  if (line.startsWith('@')) {
    const macro = MACROS[line.toLowerCase()];
    if (!macro) {
      throw new CrontabError(`cron: unknown macro ${JSON.stringify(line)} (known: ${Object.keys(MACROS).join(', ')})`);
    }
    return macro;
  }
  const fields = line === '' ? 0 : line.split(' ').length;
  if (fields !== 5 && fields !== 6) {
    throw new CrontabError(
      `cron: ${JSON.stringify(line)} has ${fields} fields; a crontab line has 5 (minute hour day month day-of-week) or 6 (seconds first)`,
    );
  }
  if (/(?<![a-z])h(?![a-z])/i.test(line)) {
    throw new CrontabError(`cron: ${JSON.stringify(line)}: H (a random value) is not supported`);
  }
  return line;
}

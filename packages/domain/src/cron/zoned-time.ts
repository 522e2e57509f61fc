/**
 * Wall-clock arithmetic in an IANA time zone, with pytz's semantics (what APScheduler 3 uses).
 *
 * A ZonedTime keeps the wall clock and the UTC offset separately, like a pytz-aware datetime: after
 * `localize` of a wall time that does not exist (spring forward) the wall clock and offset disagree with
 * the zone's rules, and APScheduler reads fields from that wall clock, so we must too.
 */
export class ZonedTime {
  /** wallMs: the wall clock read as if it were UTC; offsetMs: wall minus UTC. */
  constructor(
    readonly wallMs: number,
    readonly offsetMs: number,
  ) {}

  get instantMs(): number {
    return this.wallMs - this.offsetMs;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hourlyOffsets = new Map<string, Map<number, number>>();

/**
 * The zone's UTC offset at an instant, in ms. Intl is slow, and cron searches probe many instants, so
 * offsets are memoised per hour: when both ends of an hour agree, no transition lies inside it.
 */
export function offsetAt(instantMs: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  let memo = hourlyOffsets.get(timeZone);
  if (!memo) {
    memo = new Map();
    hourlyOffsets.set(timeZone, memo);
  }
  if (memo.size > 200_000) memo.clear();
  const hour = Math.floor(instantMs / HOUR) * HOUR;
  let start = memo.get(hour);
  if (start === undefined) {
    start = exactOffsetAt(hour, timeZone);
    memo.set(hour, start);
  }
  let end = memo.get(hour + HOUR);
  if (end === undefined) {
    end = exactOffsetAt(hour + HOUR, timeZone);
    memo.set(hour + HOUR, end);
  }
  return start === end ? start : exactOffsetAt(instantMs, timeZone);
}

function exactOffsetAt(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(wholeSecond);
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    return part ? Number(part.value) : 0;
  };
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - wholeSecond;
}

/** The zone's wall clock at an instant (pytz `normalize` / `astimezone`). */
export function fromInstant(instantMs: number, timeZone: string): ZonedTime {
  const offset = offsetAt(instantMs, timeZone);
  return new ZonedTime(instantMs + offset, offset);
}

/**
 * pytz `tz.localize(wall, is_dst=False)`: an ambiguous wall time (fall back) takes the later instant, the
 * standard-time one; a wall time in a gap (spring forward) keeps the offset in force before the gap.
 */
export function localize(wallMs: number, timeZone: string): ZonedTime {
  const candidates = new Set([offsetAt(wallMs - DAY, timeZone), offsetAt(wallMs + DAY, timeZone)]);
  const valid = [...candidates].filter((offset) => offsetAt(wallMs - offset, timeZone) === offset);
  if (valid.length > 0) {
    // Several valid offsets: the standard-time (smaller) one wins, as with is_dst=False.
    return new ZonedTime(wallMs, Math.min(...valid));
  }
  const before = fromInstant(wallMs - 6 * HOUR - offsetAt(wallMs - 6 * HOUR, timeZone), timeZone);
  return new ZonedTime(wallMs, before.offsetMs);
}

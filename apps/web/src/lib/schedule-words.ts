import type { CronField } from './types.js';

/** The APScheduler fields, or a crontab line (`cron`) that replaces them. */
export type Schedule = Record<CronField, string> & { cron?: string | null };

/** The @-macros of crontab, in words. */
const MACRO_WORDS: Record<string, string> = {
  '@hourly': 'every hour at minute 0',
  '@daily': 'at 00:00',
  '@midnight': 'at 00:00',
  '@weekly': 'at 00:00 on Sunday',
  '@monthly': 'at 00:00 on day 1 of the month',
  '@yearly': 'at 00:00 on 1 January',
  '@annually': 'at 00:00 on 1 January',
};

const DAY_NAMES: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const NUMBER = /^\d+$/;
const STEP = /^\*\/(\d+)$/;

function two(n: string): string {
  return n.padStart(2, '0');
}

function plural(n: string, unit: string): string {
  return n === '1' ? `every ${unit}` : `every ${n} ${unit}s`;
}

function days(text: string): string {
  return text
    .split(',')
    .map((part) =>
      part
        .split('-')
        .map((d) => DAY_NAMES[d.toLowerCase()] ?? d)
        .join(' to '),
    )
    .join(', ');
}

function months(text: string): string {
  return text
    .split(',')
    .map((part) =>
      part
        .split('-')
        .map((m) => (NUMBER.test(m) ? (MONTHS[Number(m) - 1] ?? m) : m))
        .join(' to '),
    )
    .join(', ');
}

/** When in the day: "at 09:30", "every 5 minutes", "every hour at minute 15", or the raw fields. */
function timeOfDay(s: Schedule): string {
  const { second, minute, hour } = s;
  if (NUMBER.test(second) && NUMBER.test(minute) && NUMBER.test(hour)) {
    return `at ${two(hour)}:${two(minute)}${second === '0' ? '' : `:${two(second)}`}`;
  }
  if (hour === '*' && minute === '*') {
    if (second === '*') return 'every second';
    const step = STEP.exec(second);
    if (step) return plural(step[1] as string, 'second');
    if (second === '0') return 'every minute';
  }
  if (hour === '*' && second === '0') {
    const step = STEP.exec(minute);
    if (step) return plural(step[1] as string, 'minute');
    if (NUMBER.test(minute)) return `every hour at minute ${minute}`;
  }
  if (second === '0' && NUMBER.test(minute)) {
    const step = STEP.exec(hour);
    if (step) return `${plural(step[1] as string, 'hour')} at minute ${minute}`;
    if (minute === '0') return `at minute 0 of hours ${hour}`;
    return `at minute ${minute} of hours ${hour}`;
  }
  if (second === '0' && hour !== '*' && (minute === '*' || STEP.test(minute))) {
    const step = STEP.exec(minute);
    return `${step ? plural(step[1] as string, 'minute') : 'every minute'} during hours ${hour}`;
  }
  return `at second ${second}, minute ${minute}, hour ${hour}`;
}

/**
 * A schedule in words, for the jobs table: "every 5 minutes", "at 09:30 on Monday to Friday". Made from
 * the canonical fields the API returns; the raw fields are shown beside it for anything unusual.
 */
export function scheduleInWords(s: Schedule): string {
  if (s.cron) return MACRO_WORDS[s.cron.toLowerCase()] ?? 'by its crontab line';
  const parts = [timeOfDay(s)];
  if (s.day_of_week !== '*') parts.push(`on ${days(s.day_of_week)}`);
  if (s.day !== '*') parts.push(`on day ${s.day} of the month`);
  if (s.week !== '*') parts.push(`in ISO week ${s.week}`);
  if (s.month !== '*') parts.push(`in ${months(s.month)}`);
  return parts.join(' ');
}

/** The raw fields, named, second first (as APScheduler lists them); a crontab line as written. */
export function rawSchedule(s: Schedule): string {
  if (s.cron) return `cron ${s.cron}`;
  return `sec ${s.second} · min ${s.minute} · hour ${s.hour} · day ${s.day} · month ${s.month} · dow ${s.day_of_week} · week ${s.week}`;
}

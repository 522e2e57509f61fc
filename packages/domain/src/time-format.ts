import { offsetAt } from './cron/zoned-time.js';

/**
 * ISO-8601 with microseconds and a numeric offset, as Python's `datetime.isoformat()` prints it
 * ("2015-12-21T18:20:05.604000+00:00"), in the given zone (UTC by default).
 */
export function formatTime(instantMs: number, timeZone = 'UTC'): string {
  const offset = offsetAt(instantMs, timeZone);
  const wall = new Date(instantMs + offset).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}000${sign}${hh}:${mm}`;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses an ISO-8601 date or date-time; one without an offset is read as UTC. Returns null when the text
 * is not such a time, so callers can name the parameter in their error.
 */
export function parseTime(text: string): number | null {
  const trimmed = text.trim();
  if (!ISO_TIME.test(trimmed)) return null;
  let normalised = trimmed.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  if (normalised.length === 10) normalised += 'T00:00:00';
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(normalised)) normalised += 'Z';
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : ms;
}

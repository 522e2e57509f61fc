import { fromLocalInput } from './time.js';

export type RangeChoice = '10m' | '1h' | '12h' | '24h' | 'custom';

export interface TimeRange {
  choice: RangeChoice;
  /** For `custom`: datetime-local values. */
  from: string;
  to: string;
}

export const SPANS: Record<Exclude<RangeChoice, 'custom'>, [string, number]> = {
  '10m': ['Last 10 minutes', 10 * 60_000],
  '1h': ['Last hour', 3_600_000],
  '12h': ['Last 12 hours', 12 * 3_600_000],
  '24h': ['Last 24 hours', 24 * 3_600_000],
};

/** The query string for the API (time_range_start/end), or an error for an incomplete custom range. */
export function rangeQuery(
  range: TimeRange,
  now = Date.now(),
): { query: string; start: number; end: number } | { error: string } {
  if (range.choice === 'custom') {
    const from = fromLocalInput(range.from);
    const to = fromLocalInput(range.to);
    if (!from || !to) return { error: 'Choose both the start and the end of the custom range' };
    if (from > to) return { error: 'The start of the range is after its end' };
    return {
      query: `time_range_start=${encodeURIComponent(from)}&time_range_end=${encodeURIComponent(to)}`,
      start: Date.parse(from),
      end: Date.parse(to),
    };
  }
  const start = now - SPANS[range.choice][1];
  return {
    query: `time_range_start=${encodeURIComponent(new Date(start).toISOString())}&time_range_end=${encodeURIComponent(new Date(now).toISOString())}`,
    start,
    end: now,
  };
}

import { fromLocalInput } from '../lib/time.js';

export type RangeChoice = '10m' | '1h' | '12h' | '24h' | 'custom';

export interface TimeRange {
  choice: RangeChoice;
  /** For `custom`: datetime-local values. */
  from: string;
  to: string;
}

const SPANS: Record<Exclude<RangeChoice, 'custom'>, [string, number]> = {
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

export function TimeRangePicker({ range, onChange }: { range: TimeRange; onChange: (range: TimeRange) => void }) {
  return (
    <fieldset class="range">
      <legend>Time range</legend>
      {(Object.keys(SPANS) as Array<keyof typeof SPANS>).map((choice) => (
        <label key={choice} class="chip">
          <input
            type="radio"
            name="range"
            value={choice}
            checked={range.choice === choice}
            onChange={() => onChange({ ...range, choice })}
          />
          {SPANS[choice][0]}
        </label>
      ))}
      <label class="chip">
        <input
          type="radio"
          name="range"
          value="custom"
          checked={range.choice === 'custom'}
          onChange={() => onChange({ ...range, choice: 'custom' })}
        />
        Custom
      </label>
      {range.choice === 'custom' && (
        <span class="custom-range">
          <label>
            From{' '}
            <input
              type="datetime-local"
              step="1"
              value={range.from}
              onInput={(e) => onChange({ ...range, from: e.currentTarget.value })}
            />
          </label>
          <label>
            To{' '}
            <input
              type="datetime-local"
              step="1"
              value={range.to}
              onInput={(e) => onChange({ ...range, to: e.currentTarget.value })}
            />
          </label>
        </span>
      )}
    </fieldset>
  );
}

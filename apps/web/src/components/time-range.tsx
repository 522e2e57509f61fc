import { SPANS, type TimeRange } from '../lib/time-range.js';

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

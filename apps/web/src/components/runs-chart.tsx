import { bucketRuns } from '../lib/buckets.js';
import { STATES, type State } from '../lib/types.js';

const WIDTH = 720;
const HEIGHT = 160;
const BUCKETS = 30;

/** Runs over time as stacked bars coloured by state (hand-made SVG: no chart library to ship). */
export function RunsChart(props: {
  runs: ReadonlyArray<{ state: State; scheduled_time: string }>;
  start: number;
  end: number;
}) {
  const buckets = bucketRuns(props.runs, props.start, props.end, BUCKETS);
  const peak = Math.max(1, ...buckets.map((b) => b.total));
  const barWidth = WIDTH / BUCKETS;
  const fmt = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 18}`}
        role="img"
        aria-label={`Runs over time: ${props.runs.length} in range, at most ${peak} per bar`}
        preserveAspectRatio="none"
      >
        {buckets.map((bucket, i) => {
          let y = HEIGHT;
          return (
            <g key={bucket.start}>
              <title>{`${fmt(bucket.start)}–${fmt(bucket.end)}: ${bucket.total} runs`}</title>
              {STATES.filter((s) => bucket.counts[s] > 0).map((state) => {
                const h = (bucket.counts[state] / peak) * (HEIGHT - 4);
                y -= h;
                return (
                  <rect
                    key={state}
                    class={`fill-${state.replace(' ', '-')}`}
                    x={i * barWidth + 1}
                    y={y}
                    width={barWidth - 2}
                    height={h}
                  />
                );
              })}
            </g>
          );
        })}
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="axis" />
        <text x="2" y={HEIGHT + 14} class="tick">
          {fmt(props.start)}
        </text>
        <text x={WIDTH - 2} y={HEIGHT + 14} class="tick" text-anchor="end">
          {fmt(props.end)}
        </text>
      </svg>
      <figcaption class="legend">
        {STATES.map((state) => (
          <span key={state}>
            <i class={`swatch fill-${state.replace(' ', '-')}`} aria-hidden="true" />
            {state}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

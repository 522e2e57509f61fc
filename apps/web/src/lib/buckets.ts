import { STATES, type State } from './types.js';

export interface Bucket {
  start: number;
  end: number;
  counts: Record<State, number>;
  total: number;
}

function zero(): Record<State, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<State, number>;
}

/** Runs over time: `[start, end]` cut into `n` equal buckets, each counting runs per state by scheduled time. */
export function bucketRuns(
  runs: ReadonlyArray<{ state: State; scheduled_time: string }>,
  start: number,
  end: number,
  n: number,
): Bucket[] {
  const width = Math.max(1, (end - start) / n);
  const buckets: Bucket[] = Array.from({ length: n }, (_, i) => ({
    start: start + i * width,
    end: start + (i + 1) * width,
    counts: zero(),
    total: 0,
  }));
  for (const run of runs) {
    const at = Date.parse(run.scheduled_time);
    if (!(at >= start && at <= end)) continue;
    const bucket = buckets[Math.min(n - 1, Math.floor((at - start) / width))];
    if (!bucket) continue;
    bucket.counts[run.state] = (bucket.counts[run.state] ?? 0) + 1;
    bucket.total += 1;
  }
  return buckets;
}

/** Counts per state over all runs, every state present (zero when none). */
export function countByState(runs: ReadonlyArray<{ state: State }>): Record<State, number> {
  const counts = zero();
  for (const run of runs) counts[run.state] = (counts[run.state] ?? 0) + 1;
  return counts;
}

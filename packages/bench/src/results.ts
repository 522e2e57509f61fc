import type { ApiLoadResult } from './scenarios/api-load.js';
import type { FirePrecisionResult } from './scenarios/fire-precision.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { ProfileResult } from './scenarios/profile.js';
import type { StoreLimitResult } from './scenarios/store-limit.js';
import type { ThroughputResult } from './scenarios/throughput.js';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gib: number;
  os: string;
}

/** What one `npm run bench` measured: printed as JSON (--json) and rendered into docs/benchmarks.md. */
export interface BenchResults {
  mode: 'quick' | 'full';
  date: string;
  machine: Machine;
  versions: Record<string, string>;
  store_limit?: StoreLimitResult;
  fire_precision?: FirePrecisionResult[];
  throughput?: ThroughputResult[];
  /** The first throughput run's (one worker): Tickwork's executions/s over raw BullMQ's jobs/s. */
  ratio_vs_bullmq?: number;
  api?: ApiLoadResult;
  memory?: MemoryResult;
  profile?: ProfileResult;
  targets: Target[];
  duration_sec: number;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

/** The targets, judged against what was measured (only for the scenarios that ran). */
export function judgeTargets(results: Omit<BenchResults, 'targets' | 'duration_sec'>): Target[] {
  const targets: Target[] = [];
  const secs = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  for (const run of results.fire_precision ?? []) {
    const limit = run.jobs <= 1000 ? 1000 : 5000;
    const once = run.ran === run.jobs && run.ran_twice === 0;
    const p99 = run.finish_lateness_ms.p99;
    targets.push({
      what: `${run.jobs} jobs due at once, ${run.workers} worker(s)`,
      target: `all once, p99 finish ≤ ${limit / 1000} s`,
      measured: `${run.ran} ran, ${run.ran_twice} twice, ${run.never_ran} never; p99 finish ${secs(p99)}`,
      met: once && p99 !== null && p99 <= limit,
    });
  }
  const first = results.throughput?.[0];
  if (first) {
    targets.push({
      what: `run-now throughput, ${first.workers} worker(s)`,
      target: 'ratio_vs_bullmq ≥ 0.5 and ≥ 2000 executions/s',
      measured: `ratio ${first.ratio_vs_bullmq}, ${first.tickwork.executions_per_sec} executions/s`,
      met: first.ratio_vs_bullmq >= 0.5 && first.tickwork.executions_per_sec >= 2000,
    });
  }
  return targets;
}

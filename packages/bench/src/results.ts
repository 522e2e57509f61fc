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

/** The issues' targets, judged against what was measured (only for the scenarios that ran). */
export function judgeTargets(results: Omit<BenchResults, 'targets' | 'duration_sec'>): Target[] {
  const targets: Target[] = [];
  const secs = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  for (const run of results.fire_precision ?? []) {
    const limit = run.jobs <= 1000 ? 2000 : 20_000;
    const once = run.ran === run.jobs && run.ran_twice === 0;
    const p99 = run.finish_lateness_ms.p99;
    targets.push({
      what: `${run.jobs} jobs due at once, ${run.workers} worker(s)`,
      target: `all once, p99 finish ≤ ${limit / 1000} s`,
      measured: `${run.ran} ran, ${run.ran_twice} twice, ${run.never_ran} never; p99 finish ${secs(p99)}; ${run.store_commands_per_fire.total} store commands per fire`,
      met: once && p99 !== null && p99 <= limit,
    });
  }
  for (const run of results.throughput ?? []) {
    targets.push({
      what: `run-now throughput, ${run.workers} worker(s)`,
      target: '≥ 1,000 executions/s and ratio_vs_bullmq ≥ 0.2',
      measured: `${run.tickwork.executions_per_sec} executions/s, ratio ${run.ratio_vs_bullmq}; ${run.tickwork.store_commands_per_run.total} store commands per run-now`,
      met: run.ratio_vs_bullmq >= 0.2 && run.tickwork.executions_per_sec >= 1000,
    });
  }
  const api = results.api;
  if (api) {
    const p99 = (what: string, r: { latency_p99_ms: number; non_2xx: number; errors: number }, limit: number) =>
      targets.push({
        what,
        target: `p99 ≤ ${limit} ms`,
        measured: `p99 ${r.latency_p99_ms} ms${r.non_2xx + r.errors ? `, ${r.non_2xx + r.errors} errors` : ''}`,
        met: r.latency_p99_ms <= limit && r.non_2xx + r.errors === 0,
      });
    const rate = (what: string, r: { requests_per_sec: number; non_2xx: number; errors: number }, limit: number) =>
      targets.push({
        what,
        target: `≥ ${limit.toLocaleString('en')} req/s`,
        measured: `${r.requests_per_sec} req/s${r.non_2xx + r.errors ? `, ${r.non_2xx + r.errors} errors` : ''}`,
        met: r.requests_per_sec >= limit && r.non_2xx + r.errors === 0,
      });
    const stored = `${api.executions.toLocaleString('en')} executions stored`;
    p99(
      `GET executions of the last hour (${api.list_executions_last_hour.items_per_answer}), ${stored}`,
      api.list_executions_last_hour,
      200,
    );
    p99(`GET logs of the last day (${api.list_logs_last_day.items_per_answer})`, api.list_logs_last_day, 200);
    p99(`GET all ${api.jobs} jobs`, api.list_jobs, 100);
    rate('GET one job', api.get_job, 5000);
    rate('POST a job', api.post_job, 1500);
  }
  const store = results.store_limit;
  if (store && store.rows.length > 1) {
    const first = store.rows[0] as StoreLimitResult['rows'][number];
    const last = store.rows[store.rows.length - 1] as StoreLimitResult['rows'][number];
    const keys = ['inserts_per_sec', 'reads_per_sec', 'updates_per_sec', 'executions_per_sec'] as const;
    const worst = Math.min(...keys.map((k) => last[k] / first[k]));
    targets.push({
      what: `the store alone, ${first.stored.toLocaleString('en')} to ${last.stored.toLocaleString('en')} executions stored`,
      target: 'flat within 20 %',
      measured: `the largest falls to ${Math.round(worst * 100)} % of the smallest (${keys.map((k) => `${k.replace('_per_sec', '')} ${first[k]} → ${last[k]}`).join('; ')})`,
      met: worst >= 0.8,
    });
  }
  return targets;
}

import { QUEUE_NAME } from '@tickwork/queue';
import { Store } from '@tickwork/store';
import { spawnApi, spawnWorker, waitFor } from '@tickwork/testing';
import { Redis } from 'ioredis';
import { type BenchStack, say } from '../bench-stack.js';
import { childPids, peakRssMb } from '../process-usage.js';
import { withScope } from '../scope.js';
import { seedJobs } from '../seed.js';
import { NOOP_JOB, type RunNowLoadResult, runNowLoad } from './run-now-load.js';
import { addNoopJob } from './throughput.js';

export interface MemoryResult {
  jobs: number;
  /** From starting the API to its answering, all jobs mirrored into BullMQ schedulers. */
  api_ready_sec: number;
  schedulers: number;
  /** Peak RSS (VmHWM) in MiB after the run-now load. */
  api_peak_rss_mb: number | null;
  worker_peak_rss_mb: number | null;
  /** The worker's job processes (its sandbox pool), each. */
  job_process_peak_rss_mb: number | null;
  load: RunNowLoadResult;
}

/** Every second of 1 January: never due while the benchmark runs, still a real schedule to mirror. */
const NEVER = { month: '1', day: '1', hour: '0', minute: '0', second: '0' };

/** API and one worker with `jobs` job definitions, under the throughput scenario's run-now load. */
export async function memory(stack: BenchStack, jobs: number, executions: number): Promise<MemoryResult> {
  return withScope(async (scope) => {
    const environment = stack.environment(scope);
    const store = await Store.open(environment.env.MONGODB_URL as string);
    scope.teardown(() => store.close());
    const seeded = Date.now();
    await seedJobs(store, jobs, NOOP_JOB, NEVER);
    say(`seeded ${jobs} job definitions in ${Date.now() - seeded} ms`);
    const started = Date.now();
    const api = await spawnApi(scope, environment, {}, { readyTimeoutMs: 600_000 });
    const redis = new Redis(stack.redis.url);
    scope.teardown(() => redis.disconnect());
    const schedulersKey = `${environment.env.QUEUE_PREFIX}:${QUEUE_NAME}:repeat`;
    // The API answers before its first reconcile ends only if that pass is slow; wait for every scheduler.
    const schedulers = await waitFor(
      `${jobs} schedulers`,
      async () => {
        const n = await redis.zcard(schedulersKey);
        return n >= jobs ? n : undefined;
      },
      600_000,
      500,
    );
    const readySec = (Date.now() - started) / 1000;
    say(`API up with ${schedulers} schedulers after ${readySec} s`);
    const worker = await spawnWorker(scope, environment);
    const jobId = await addNoopJob(api.base);
    const load = await runNowLoad(api.base, environment, store, jobId, executions);
    const jobProcesses = childPids(worker.pid)
      .map(peakRssMb)
      .filter((mb): mb is number => mb !== null);
    return {
      jobs,
      api_ready_sec: readySec,
      schedulers,
      api_peak_rss_mb: peakRssMb(api.child.pid as number),
      worker_peak_rss_mb: peakRssMb(worker.pid),
      job_process_peak_rss_mb: jobProcesses.length ? Math.max(...jobProcesses) : null,
      load,
    };
  });
}

import { Store } from '@tickwork/store';
import { spawnApi, spawnWorker, waitFor } from '@tickwork/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type BenchStack, say } from '../bench-stack.js';
import { withScope } from '../scope.js';
import { perSecond } from '../stats.js';
import { NOOP_JOB, type RunNowLoadResult, runNowLoad } from './run-now-load.js';

export interface ThroughputResult {
  executions: number;
  workers: number;
  /** Each worker's (and raw BullMQ's) concurrency: WORKER_CONCURRENCY, its default unless an experiment. */
  concurrency: number;
  tickwork: RunNowLoadResult;
  bullmq: { seconds: number; jobs_per_sec: number };
  ratio_vs_bullmq: number;
}

/**
 * The same number of no-op runs two ways on the same Redis, one after the other: Tickwork's run-now end to
 * end, and raw BullMQ (addBulk, one Worker per Tickwork worker, same concurrency, no-op processor).
 */
export async function throughput(stack: BenchStack, executions: number, workers: number): Promise<ThroughputResult> {
  const bullmq = await rawBullmq(stack.redis.url, executions, workers, stack.workerConcurrency);
  say(`raw BullMQ: ${executions} no-op jobs at ${bullmq.jobs_per_sec}/s`);
  const tickwork = await withScope(async (scope) => {
    const environment = stack.environment(scope);
    const api = await spawnApi(scope, environment);
    await Promise.all(Array.from({ length: workers }, () => spawnWorker(scope, environment)));
    const store = await Store.open(environment.env.MONGODB_URL as string);
    scope.teardown(() => store.close());
    const jobId = await addNoopJob(api.base);
    return runNowLoad(api.base, environment, store, jobId, executions);
  });
  say(`Tickwork: ${executions} run-now executions at ${tickwork.executions_per_sec}/s`);
  return {
    executions,
    workers,
    concurrency: stack.workerConcurrency,
    tickwork,
    bullmq,
    ratio_vs_bullmq: Math.round((tickwork.executions_per_sec / bullmq.jobs_per_sec) * 1000) / 1000,
  };
}

/** A no-op job that never fires by itself (1 January, 00:00:00 UTC) and may run many times at once. */
export async function addNoopJob(base: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench no-op',
      job_class_string: NOOP_JOB,
      month: '1',
      day: '1',
      hour: '0',
      minute: '0',
      second: '0',
      timezone: 'UTC',
      max_instances: 10_000,
    }),
  });
  if (response.status >= 300) throw new Error(`adding the no-op job answered ${response.status}`);
  return ((await response.json()) as { job_id: string }).job_id;
}

async function rawBullmq(redisUrl: string, count: number, workers: number, concurrency: number) {
  const prefix = `bench_raw_${Date.now()}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection, prefix });
  // BullMQ does not close a connection it was given: each is disconnected after.
  const connections = Array.from({ length: workers }, () => new Redis(redisUrl, { maxRetriesPerRequest: null }));
  const consumers = connections.map(
    (own) => new Worker('raw', async () => null, { connection: own, prefix, concurrency }),
  );
  let completed = 0;
  for (const consumer of consumers) consumer.on('completed', () => completed++);
  await Promise.all(consumers.map((c) => c.waitUntilReady()));
  const started = Date.now();
  for (let first = 0; first < count; first += 1000) {
    const size = Math.min(1000, count - first);
    await queue.addBulk(
      Array.from({ length: size }, (_, i) => ({
        name: 'noop',
        data: { n: first + i },
        opts: { removeOnComplete: true, removeOnFail: 1000 },
      })),
    );
  }
  await waitFor(`${count} raw BullMQ jobs`, () => completed >= count, 120_000, 5);
  const ms = Date.now() - started;
  for (const consumer of consumers) await consumer.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  for (const own of connections) own.disconnect();
  return { seconds: ms / 1000, jobs_per_sec: perSecond(count, ms) };
}

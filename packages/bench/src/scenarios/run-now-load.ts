import { ExecutionState } from '@tickwork/domain';
import { ExecutionHistory, foldAll } from '@tickwork/ledger';
import type { Store } from '@tickwork/store';
import type { TestEnvironment } from '@tickwork/testing';
import { waitForEndedRuns } from '../ended-runs.js';
import { inParallel } from '../http-load.js';
import { perSecond } from '../stats.js';
import { type CommandsPer, commandsPer, fleetCommands } from '../store-cost.js';

export interface RunNowLoadResult {
  executions: number;
  /** From the first run-now request to the last run recorded succeeded in MongoDB. */
  seconds: number;
  executions_per_sec: number;
  /** How fast the API took the requests (each records the run, queues it and audits it). */
  accepted_per_sec: number;
  succeeded: number;
  /** Store commands the whole fleet sent during the load, per run-now. */
  store_commands_per_run: CommandsPer;
}

export const NOOP_JOB = 'bench.jobs.noop_job.NoopJob';

/**
 * `count` run-now requests for one job (32 in flight, as many clients would), timed until every run is
 * recorded succeeded: the whole path, API to worker to MongoDB.
 */
export async function runNowLoad(
  base: string,
  environment: TestEnvironment,
  store: Store,
  jobId: string,
  count: number,
): Promise<RunNowLoadResult> {
  const redisUrl = environment.env.REDIS_URL as string;
  const prefix = environment.env.QUEUE_PREFIX as string;
  const already = await waitForEndedRuns(redisUrl, prefix, NOOP_JOB, [ExecutionState.succeeded], 0, 1000);
  const commandsBefore = await fleetCommands(redisUrl, prefix);
  const started = Date.now();
  await inParallel(count, 32, async () => {
    const response = await fetch(`${base}/api/v1/executions/${jobId}`, { method: 'POST' });
    if (response.status !== 200) throw new Error(`run-now answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  });
  const acceptedMs = Date.now() - started;
  await waitForEndedRuns(redisUrl, prefix, NOOP_JOB, [ExecutionState.succeeded], already + count, 120_000 + count * 50);
  const ms = Date.now() - started;
  const commandsAfter = await fleetCommands(redisUrl, prefix);
  // Once, after the clock stopped: every run is recorded succeeded in the store.
  const entries = await new ExecutionHistory(store.ledger).entriesBetween(started - 60_000, Date.now());
  const succeeded = foldAll(entries).filter(
    (e) => e.job.job_id === jobId && e.state === ExecutionState.succeeded,
  ).length;
  return {
    executions: count,
    seconds: ms / 1000,
    executions_per_sec: perSecond(count, ms),
    accepted_per_sec: perSecond(count, acceptedMs),
    succeeded,
    store_commands_per_run: commandsPer(commandsBefore, commandsAfter, count),
  };
}

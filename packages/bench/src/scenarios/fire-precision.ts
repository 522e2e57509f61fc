import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINAL_STATES, newId } from '@tickwork/domain';
import { ExecutionHistory, foldAll } from '@tickwork/ledger';
import { Store } from '@tickwork/store';
import { spawnApi, spawnWorker } from '@tickwork/testing';
import { type BenchStack, say } from '../bench-stack.js';
import { waitForEndedRuns } from '../ended-runs.js';
import { inParallel } from '../http-load.js';
import { withScope } from '../scope.js';
import { type Spread, spread, tally } from '../stats.js';
import { type CommandsPer, commandsPer, fleetCommands } from '../store-cost.js';

export interface FirePrecisionResult {
  jobs: number;
  workers: number;
  /** Jobs whose run happened (by the job's own note, not our records). */
  ran: number;
  ran_twice: number;
  never_ran: number;
  /** Records per state: all `succeeded` when every fire ran. */
  states: Record<string, number>;
  /** From the intended fire time to the run's start and to its recorded end, in ms. */
  start_lateness_ms: Spread;
  finish_lateness_ms: Spread;
  /** Setting up: the jobs were added through the API at this rate. */
  created_per_sec: number;
  /** Store commands the whole fleet sent from just before the fires to their last end, per fire. */
  store_commands_per_fire: CommandsPer;
}

const COUNTED_JOB = 'bench.jobs.counted_job.CountedJob';

/**
 * N jobs added through the API, all due at one instant (cron hour/minute/second in UTC); W worker processes.
 * Each run notes its job id in a file (the job itself, so a run our records missed still counts); the
 * records give how late each started and ended.
 */
export async function firePrecision(stack: BenchStack, jobs: number, workers: number): Promise<FirePrecisionResult> {
  return withScope(async (scope) => {
    const runLog = join(tmpdir(), `tickwork-bench-runs-${newId()}.log`);
    scope.teardown(() => rmSync(runLog, { force: true }));
    const environment = stack.environment(scope);
    const api = await spawnApi(scope, environment);
    await Promise.all(
      Array.from({ length: workers }, () =>
        spawnWorker(scope, environment, { BENCH_RUN_LOG: runLog, JOB_ENV_PASSTHROUGH: 'BENCH_RUN_LOG' }),
      ),
    );

    // Far enough ahead to add every job first (measured here: a few hundred per second at worst).
    const due = Math.ceil((Date.now() + 15_000 + jobs * 8) / 1000) * 1000;
    const at = new Date(due);
    const schedule = {
      hour: String(at.getUTCHours()),
      minute: String(at.getUTCMinutes()),
      second: String(at.getUTCSeconds()),
      timezone: 'UTC',
    };
    const createStarted = Date.now();
    const ids: string[] = [];
    await inParallel(jobs, 16, async (i) => {
      const response = await fetch(`${api.base}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `due together ${i}`, job_class_string: COUNTED_JOB, ...schedule }),
      });
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(`adding a job answered ${response.status}: ${await response.text()}`);
      }
      ids.push(((await response.json()) as { job_id: string }).job_id);
    });
    const createdMs = Date.now() - createStarted;
    if (Date.now() > due - 4000) throw new Error(`adding ${jobs} jobs took ${createdMs} ms: past their due time`);
    say(`${jobs} jobs added in ${createdMs} ms, due at ${at.toISOString()}; ${workers} worker(s)`);
    const redisUrl = environment.env.REDIS_URL as string;
    const prefix = environment.env.QUEUE_PREFIX as string;
    const commandsBefore = await fleetCommands(redisUrl, prefix);

    const store = await Store.open(environment.env.MONGODB_URL as string);
    scope.teardown(() => store.close());
    // Until every job's fire has ended (or, failing that, long after it should have).
    await waitForEndedRuns(redisUrl, prefix, COUNTED_JOB, null, jobs, due - Date.now() + 60_000 + jobs * 50).catch(
      (err) => say(`not every fire ended: ${(err as Error).message}`),
    );

    const commandsAfter = await fleetCommands(redisUrl, prefix);
    // Once, after the clock stopped: every entry of the scenario's ledger, folded into its executions.
    const records = foldAll(await new ExecutionHistory(store.ledger).entriesBetween(due - 60_000, Date.now()));
    const starts: number[] = [];
    const finishes: number[] = [];
    for (const record of records) {
      if (record.started_time === null) continue;
      starts.push(record.started_time - due);
      if (FINAL_STATES.includes(record.state)) finishes.push(record.updated_time - due);
    }
    const runs = tally(readFileSync(runLog, 'utf8').split('\n').filter(Boolean));
    const ran = ids.filter((id) => runs.has(id)).length;
    return {
      jobs,
      workers,
      ran,
      ran_twice: [...runs.values()].filter((n) => n > 1).length,
      never_ran: jobs - ran,
      states: Object.fromEntries(tally(records.map((r) => String(r.state)))),
      start_lateness_ms: spread(starts),
      finish_lateness_ms: spread(finishes),
      created_per_sec: Math.round((jobs * 1000) / createdMs),
      store_commands_per_fire: commandsPer(commandsBefore, commandsAfter, jobs),
    };
  });
}

import { AuditEvent, ExecutionState, newId } from '@tickwork/domain';
import { Store } from '@tickwork/store';
import { type BenchStack, say } from '../bench-stack.js';
import { withScope } from '../scope.js';
import { benchJob, seedExecutions } from '../seed.js';
import { perSecond } from '../stats.js';
import { NOOP_JOB } from './run-now-load.js';

export interface StoreLimitRow {
  /** Executions already stored when measured: the server's cost per query may grow with it. */
  stored: number;
  /** Each step alone, in operations per second. */
  inserts_per_sec: number;
  reads_per_sec: number;
  updates_per_sec: number;
  /**
   * A run-now's whole MongoDB pattern (API: read job, insert execution, insert audit; worker: read
   * execution, update to running, update to succeeded) and nothing else: the most executions per second
   * this server allows Tickwork, whatever the rest does.
   */
  executions_per_sec: number;
}

export interface StoreLimitResult {
  server: string;
  parallel: number;
  seconds_per_step: number;
  rows: StoreLimitRow[];
}

/**
 * The MongoDB-wire server's rate alone, through the same repositories the API and workers use, with more
 * and more executions stored: each step runs for a fixed time with `parallel` callers.
 */
export async function storeLimit(
  stack: BenchStack,
  sizes: readonly number[],
  secondsPerStep: number,
  parallel: number,
): Promise<StoreLimitResult> {
  return withScope(async (scope) => {
    const environment = stack.environment(scope);
    const store = await Store.open(environment.env.MONGODB_URL as string);
    scope.teardown(() => store.close());
    const job = benchJob('store limit', NOOP_JOB, { second: '0' });
    await store.jobs.insert(job);
    const rows: StoreLimitRow[] = [];
    let stored = 0;
    const recordOf = (id: string) => ({
      execution_id: id,
      job,
      fire_key: `manual@${id}`,
      scheduled_time: new Date(),
      state: ExecutionState.scheduled,
      run_after: new Date(),
    });
    /** Calls `step` from `parallel` callers until the step's time is up; its rate. */
    const rate = async (step: (i: number) => Promise<unknown>) => {
      const started = Date.now();
      const until = started + secondsPerStep * 1000;
      let done = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (Date.now() < until) await step(done++);
        }),
      );
      return perSecond(done, Date.now() - started);
    };
    for (const size of sizes) {
      if (size > stored) {
        // A job of their own each time: fire keys (job and time) stay unique.
        const history = benchJob(`history to ${size}`, NOOP_JOB, { second: '0' });
        await seedExecutions(
          store,
          history,
          size - stored,
          new Date(Date.UTC(2025, 0, 1)),
          new Date(Date.UTC(2025, 1, 1)),
        );
        stored = size;
      }
      const ids: string[] = [];
      const insertsPerSec = await rate(async () => {
        const id = newId();
        await store.executions.insertOnce(recordOf(id));
        ids.push(id);
      });
      const readsPerSec = await rate((i) => store.executions.get(ids[i % ids.length] as string));
      const updatesPerSec = await rate((i) =>
        store.executions.transition(ids[i % ids.length] as string, [ExecutionState.scheduled, ExecutionState.running], {
          state: ExecutionState.running,
        }),
      );
      const executionsPerSec = await rate(async () => {
        const id = newId();
        ids.push(id);
        const definition = await store.jobs.get(job.job_id);
        if (!definition) throw new Error('job gone');
        await store.executions.insertOnce(recordOf(id));
        await store.auditLogs.add({
          job_id: job.job_id,
          job_name: job.name,
          event: AuditEvent.customRun,
          user: 'bench',
          description: id,
        });
        await store.executions.get(id);
        const token = newId();
        await store.executions.transition(id, [ExecutionState.scheduled], {
          state: ExecutionState.running,
          attempt: token,
          lease_until: new Date(Date.now() + 30_000),
          started_time: new Date(),
        });
        await store.executions.transition(
          id,
          [ExecutionState.running],
          { state: ExecutionState.succeeded, result: 'null', output: '', lease_until: null },
          token,
        );
      });
      stored += ids.length;
      const row = {
        stored: size,
        inserts_per_sec: insertsPerSec,
        reads_per_sec: readsPerSec,
        updates_per_sec: updatesPerSec,
        executions_per_sec: executionsPerSec,
      };
      say(`store alone with ${size} executions: ${JSON.stringify(row)}`);
      rows.push(row);
    }
    return { server: stack.mongo.source, parallel, seconds_per_step: secondsPerStep, rows };
  });
}

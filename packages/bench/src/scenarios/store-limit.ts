import {
  AuditEvent,
  ExecutionEvent,
  ExecutionState,
  foldExecution,
  jobSummary,
  newId,
  recordedEntry,
  stepEntry,
} from '@tickwork/domain';
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
  /** Executions recorded (a run-now's first entry). */
  inserts_per_sec: number;
  /** One execution read by id (its entries, folded). */
  reads_per_sec: number;
  /** Fenced transitions by id: a claim, its slot refused to any other writer. */
  updates_per_sec: number;
  /**
   * A run-now's whole store pattern through the ledger (API: record it, audit it; worker: claim it, end it)
   * and nothing else: the most executions per second this server allows Tickwork, whatever the rest does.
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
    const job = jobSummary(benchJob('store limit', NOOP_JOB, { second: '0' }));
    const rows: StoreLimitRow[] = [];
    let stored = 0;
    const holder = { holder: 'bench', hostname: 'bench', pid: 1, task_id: '' };
    const record = (id: string) =>
      recordedEntry(
        { execution_id: id, job, scheduled_time: Date.now(), state: ExecutionState.scheduled, run_after: Date.now() },
        Date.now(),
        newId(),
      );
    const step = (
      id: string,
      from: ExecutionState,
      event: typeof ExecutionEvent.claimed | typeof ExecutionEvent.ended,
      to: ExecutionState,
    ) =>
      stepEntry(
        { execution_id: id, scheduled_time: Date.now(), attempt: 1, state: from },
        event,
        to,
        event === ExecutionEvent.claimed ? holder : { result: 'null', output: '' },
        Date.now(),
        newId(),
      );
    /** Calls `step` from `parallel` callers until the step's time is up; its rate. */
    const rate = async (work: (i: number) => Promise<unknown>) => {
      const started = Date.now();
      const until = started + secondsPerStep * 1000;
      let done = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (Date.now() < until) await work(done++);
        }),
      );
      return perSecond(done, Date.now() - started);
    };
    for (const size of sizes) {
      if (size > stored) {
        // A job of their own each time: fire ids (job and time) stay unique.
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
        await store.ledger.append(record(id));
        ids.push(id);
      });
      const readsPerSec = await rate(async (i) =>
        foldExecution(await store.ledger.entriesOf(ids[i % ids.length] as string)),
      );
      let claimed = 0;
      const updatesPerSec = await rate(async () => {
        const id = ids[claimed++ % ids.length] as string;
        await store.ledger.append(step(id, ExecutionState.scheduled, ExecutionEvent.claimed, ExecutionState.running));
      });
      const executionsPerSec = await rate(async () => {
        const id = newId();
        ids.push(id);
        await store.ledger.append(record(id));
        await store.auditLogs.add({
          job_id: job.job_id,
          job_name: job.name,
          event: AuditEvent.customRun,
          user: 'bench',
          description: id,
        });
        await store.ledger.append(step(id, ExecutionState.scheduled, ExecutionEvent.claimed, ExecutionState.running));
        await store.ledger.append(step(id, ExecutionState.running, ExecutionEvent.ended, ExecutionState.succeeded));
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

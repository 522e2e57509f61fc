import { bucketOf, chainExecutionId, ExecutionState } from '@tickwork/domain';
import type { Store } from '@tickwork/store';
import type { LedgerLog } from './ledger-log.js';
import type { RunLedger } from './run-ledger.js';

export interface ChainCatchUpContext {
  store: Store;
  ledger: RunLedger;
  log: LedgerLog;
  clock?: () => number;
}

/** Ends younger than this are left to the process that wrote them, which is starting their chained runs. */
const GRACE_MS = 3000;

/**
 * Starts the chained runs that a run's end did not: its worker died between writing the end and recording
 * or queueing them, or the store or Redis refused them then. Each pass reads the ends of executions that
 * jobs wait for, written in the current and the previous 10-minute bucket (one indexed equality each), and
 * tries every chained run they call for: the run's id comes from the job and the upstream execution, so one
 * started already is refused by the store's unique index — then, if it still waits for a run, it is queued
 * again (a no-op when its queue entry exists). A chained run seen settled is not read again.
 */
export class ChainCatchUp {
  private readonly clock: () => number;
  /** Chained runs known recorded and past waiting, with the bucket of their upstream end. */
  private readonly settled = new Map<string, number>();

  constructor(private readonly ctx: ChainCatchUpContext) {
    this.clock = ctx.clock ?? Date.now;
  }

  /** One pass; returns how many chained runs it queued (recorded now, or waiting without a queue entry). */
  async pass(): Promise<number> {
    const now = this.clock();
    const current = bucketOf(now);
    let queued = 0;
    // One Redis read per upstream job and end state in a pass.
    const known = new Map<string, ReturnType<RunLedger['waitingOn']>>();
    for (const bucket of [current - 1, current]) {
      for (const { entry, job_id: upstream } of await this.ctx.store.ledger.chainedEndsIn(bucket)) {
        if (now - entry.at < GRACE_MS) continue;
        const key = `${upstream} ${entry.state}`;
        if (!known.has(key)) known.set(key, this.ctx.ledger.waitingOn(upstream, entry.state));
        const waiting = await (known.get(key) as ReturnType<RunLedger['waitingOn']>);
        const open = waiting.jobs.filter((c) => !this.settled.has(chainExecutionId(c.job.job_id, entry.execution_id)));
        const runs = await this.ctx.ledger.runChained(upstream, entry, open);
        for (const [i, run] of runs.entries()) {
          const id = chainExecutionId((open[i] as (typeof open)[number]).job.job_id, entry.execution_id);
          if (run === 'queued') {
            queued++;
            this.ctx.log.warn({ execution_id: id, upstream_execution_id: entry.execution_id }, 'chained run caught up');
            this.settled.set(id, bucket);
          } else if (run === 'exists') {
            const execution = await this.ctx.ledger.get(id);
            if (execution?.state === ExecutionState.scheduled) {
              await this.ctx.ledger.requeue(execution);
              queued++;
            } else {
              this.settled.set(id, bucket);
            }
          }
        }
      }
    }
    for (const [id, bucket] of this.settled) if (bucket < current - 1) this.settled.delete(id);
    return queued;
  }
}

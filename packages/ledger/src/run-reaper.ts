import { dayOf, type Execution, ExecutionState } from '@tickwork/domain';
import { MANUAL_RUN, RETRY_RUN, type RecordedRunData, type RunQueues, type WorkerRegistry } from '@tickwork/queue';
import type { LeaseDocument, Store } from '@tickwork/store';
import type { LedgerLog } from './ledger-log.js';
import type { RunLedger } from './run-ledger.js';

export interface RunReaperContext {
  store: Store;
  ledger: RunLedger;
  workers: WorkerRegistry;
  runQueues: RunQueues;
  /** How long a worker's newest lease stands without renewal (EXECUTION_LEASE_SEC). */
  leaseMs: number;
  log: LedgerLog;
  clock?: () => number;
}

interface Holder {
  newest: number;
  held: Set<string>;
}

/**
 * No execution stays running or waiting forever:
 * - runs of a lost worker — its newest lease older than EXECUTION_LEASE_SEC and no heartbeat in Redis — are
 *   closed out through the ledger (failed, retried, or stopped when a stop had been asked). A worker waiting
 *   out a MongoDB outage still beats in Redis, so its runs are not written off meanwhile;
 * - queue entries of waiting runs that failed (a worker gave up on them while shutting down) run again;
 * - after Redis lost its data, every execution still waiting is queued again.
 * Several API processes may reap at once: each close-out is a ledger transition, which one of them wins.
 */
export class RunReaper {
  private readonly clock: () => number;

  constructor(private readonly ctx: RunReaperContext) {
    this.clock = ctx.clock ?? Date.now;
  }

  /** Closes out the runs of lost workers; returns how many. */
  async closeOutLost(): Promise<number> {
    const leases = await this.ctx.store.ledger.leases();
    if (leases.length === 0) return 0;
    const holders = groupByHolder(leases);
    const now = this.clock();
    const stale = [...holders].filter(([, h]) => now - h.newest > this.ctx.leaseMs);
    if (stale.length === 0) return 0;
    const live = await this.ctx.workers.list();
    const alive = new Set(live.map((w) => w.worker_id));
    const vouched = new Set(live.flatMap((w) => w.executions ?? []));
    let closed = 0;
    for (const [holder, { newest, held }] of stale) {
      if (alive.has(holder)) continue;
      let open = 0;
      for (const executionId of held) {
        if (vouched.has(executionId)) {
          open++;
          continue;
        }
        const execution = await this.ctx.ledger.get(executionId);
        // A retry the worker wrote but did not get to queue before it was lost.
        if (execution?.state === ExecutionState.scheduled) await this.ctx.ledger.requeue(execution);
        if (!execution || !isHeldBy(execution, holder)) continue;
        const why = `lost worker ${execution.hostname} pid ${execution.pid}: no heartbeat since ${new Date(newest).toISOString()}`;
        if (await this.ctx.ledger.closeOutLost(execution, why)) {
          closed++;
          this.ctx.log.warn({ execution_id: executionId, job_id: execution.job.job_id }, why);
        } else {
          open += isHeldBy((await this.ctx.ledger.get(executionId)) ?? execution, holder) ? 1 : 0;
        }
      }
      if (open === 0) await this.ctx.store.ledger.dropLeases(holder);
    }
    return closed;
  }

  /** Runs again the queue entries of waiting runs that a worker gave up on; returns how many. */
  async retryFailedEntries(): Promise<number> {
    let retried = 0;
    const failed = await Promise.all((await this.ctx.runQueues.all()).map((queue) => queue.getFailed(0, 199)));
    for (const entry of failed.flat()) {
      if (entry.name !== MANUAL_RUN && entry.name !== RETRY_RUN) continue;
      const data = entry.data as RecordedRunData;
      const execution = await this.ctx.ledger.get(data.execution_id);
      if (execution?.state === ExecutionState.scheduled && execution.attempt === data.attempt) {
        await entry.retry();
        retried++;
      } else {
        await entry.remove();
      }
    }
    return retried;
  }

  /**
   * Queues again every execution still waiting for a run that became due in the last `days` days: after
   * Redis lost its data, their queue entries are gone. A waiting execution's entry id comes from it, so one
   * whose entry survived is not queued twice.
   */
  async requeueWaiting(days: number): Promise<number> {
    const today = dayOf(this.clock());
    const ids = new Set<string>();
    for (let day = today - days + 1; day <= today; day++) {
      for (const entry of await this.ctx.store.ledger.pendingOn(day)) ids.add(entry.execution_id);
    }
    let queued = 0;
    for (const id of ids) {
      const execution = await this.ctx.ledger.get(id);
      if (execution?.state !== ExecutionState.scheduled) continue;
      await this.ctx.ledger.requeue(execution);
      queued++;
    }
    if (queued > 0) this.ctx.log.info({ queued }, 'waiting runs queued again');
    return queued;
  }
}

function isHeldBy(execution: Execution, holder: string): boolean {
  return (
    execution.holder === holder &&
    (execution.state === ExecutionState.running || execution.state === ExecutionState.stopping)
  );
}

function groupByHolder(leases: readonly LeaseDocument[]): Map<string, Holder> {
  const holders = new Map<string, Holder>();
  for (const lease of leases) {
    const at = new Date(lease.at).getTime();
    const holder = holders.get(lease.holder);
    if (holder) {
      holder.newest = Math.max(holder.newest, at);
      for (const id of lease.held) holder.held.add(id);
    } else {
      holders.set(lease.holder, { newest: at, held: new Set(lease.held) });
    }
  }
  return holders;
}

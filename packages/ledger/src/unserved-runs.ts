import { missingWorkerTags, type Refusal } from '@tickwork/domain';
import {
  BACKFILL_RUN,
  type BackfillRunData,
  MANUAL_RUN,
  RETRY_RUN,
  type RecordedRunData,
  type RunQueues,
  SCHEDULED_RUN,
  type ScheduledRunData,
  type SchedulerMirror,
  type WorkerRegistry,
} from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import type { Job } from 'bullmq';
import type { LedgerLog } from './ledger-log.js';
import type { RunLedger } from './run-ledger.js';

export interface UnservedRunsContext {
  store: Store;
  ledger: RunLedger;
  workers: WorkerRegistry;
  runQueues: RunQueues;
  mirror: SchedulerMirror;
  /** JOB_MISFIRE_GRACE_SEC: the grace of jobs without their own. */
  misfireGraceSec: number;
  log: LedgerLog;
  clock?: () => number;
}

/** At most this many entries of one tag set's queue are looked at per pass. */
const PAGE = 1000;

/**
 * Runs that wait in the queue of a tag set no live worker has all the tags of (job `worker_tags`) would
 * wait forever: only workers promote and take them. Once such a run is later than its misfire grace it is
 * recorded as `scheduled error` naming the missing tags — through the ledger, whose record of a fire has
 * one possible id, so several API processes (or a worker that came up meanwhile) record it once — and its
 * queue entry goes. A scheduler's fire is replaced by its next, so the job fires again when a worker is up.
 */
export class UnservedRuns {
  private readonly clock: () => number;

  constructor(private readonly ctx: UnservedRunsContext) {
    this.clock = ctx.clock ?? Date.now;
  }

  /** One pass; returns how many runs it recorded as unserved. */
  async recordUnserved(): Promise<number> {
    const tagged = await this.ctx.runQueues.taggedQueues();
    if (tagged.length === 0) return 0;
    const live = (await this.ctx.workers.list()).map((worker) => worker.tags);
    let recorded = 0;
    for (const { tags, queue } of tagged) {
      const why = missingWorkerTags(tags, live);
      if (!why) continue;
      for (const entry of await queue.getJobs(['delayed', 'waiting', 'prioritized'], 0, PAGE - 1)) {
        if (await this.settle(entry, why)) recorded++;
      }
    }
    return recorded;
  }

  /** Records one waiting entry as unserved if it is past its grace; true when this pass recorded it. */
  private async settle(entry: Job, why: string): Promise<boolean> {
    const now = this.clock();
    const dueMs = entry.opts.prevMillis ?? entry.timestamp + (entry.opts.delay ?? 0);
    const data = entry.data as (ScheduledRunData & Partial<BackfillRunData>) | RecordedRunData;
    const job = data.job ?? (await this.ctx.store.jobs.get(data.job_id));
    if (!job) return false;
    const graceSec = job.misfire_grace_sec ?? this.ctx.misfireGraceSec;
    if (now - dueMs <= graceSec * 1000) return false;
    const refusal: Refusal = {
      description: `Not run: ${why} (worker_tags ${(job.worker_tags ?? []).join(', ')}; waited ${Math.round((now - dueMs) / 1000)} s, misfire grace ${graceSec} s)`,
      result: '',
    };
    let recorded = false;
    if (entry.name === SCHEDULED_RUN || entry.name === BACKFILL_RUN) {
      const fireMs = entry.name === BACKFILL_RUN ? (data as BackfillRunData).fire_ms : dueMs;
      recorded = await this.ctx.ledger.recordUnservedFire(job, fireMs, refusal);
    } else if (entry.name === MANUAL_RUN || entry.name === RETRY_RUN) {
      recorded = await this.ctx.ledger.giveUpUnserved(data as RecordedRunData, refusal);
    }
    // A scheduler's current fire cannot be removed (BullMQ refuses), and its next fire is made only when a
    // worker takes it: upserting the scheduler again replaces it with the next fire from now.
    const stored = entry.name === SCHEDULED_RUN ? await this.ctx.store.jobs.get(data.job_id) : null;
    if (stored && !stored.paused) await this.ctx.mirror.upsert(stored);
    else await entry.remove().catch(() => undefined);
    if (recorded) this.ctx.log.warn({ job_id: data.job_id, bullmq_job: entry.id }, refusal.description);
    return recorded;
  }
}

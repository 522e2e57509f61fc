import { type JobSummary, runSnapshot, type StoredJob, triggerFor } from '@tickwork/domain';
import type { Queue } from 'bullmq';
import type { BackfillRunData } from './queue-names.js';
import { schedulerIdFor } from './queue-names.js';
import { enqueueBackfills } from './run-queue.js';

/** At most this many skipped fires are backfilled per late pickup (the most recent ones). */
const MAX_BACKFILL = 1000;

/**
 * BullMQ computes a scheduler's next fire when it picks one up, from that moment: fires due while this one
 * waited were skipped. Without coalescing (JOB_COALESCE=false) they are queued here, each to be recorded
 * once (and run within its grace) like any fire: those after `fireMs` and before the scheduler's next.
 * Returns how many were queued.
 */
export async function backfillSkippedFires(
  queue: Queue,
  job: JobSummary,
  rev: number,
  fireMs: number,
  now: number,
): Promise<number> {
  const trigger = triggerFor(job);
  const first = trigger.nextFireTime(fireMs + 1);
  if (first === null || first > now) return 0;
  const next = (await queue.getJobScheduler(schedulerIdFor(job.job_id)))?.next;
  if (!next) return 0;
  const skipped: number[] = [];
  for (let at: number | null = first; at !== null && at < next; at = trigger.nextFireTime(at + 1)) {
    skipped.push(at);
    if (skipped.length > MAX_BACKFILL) skipped.shift();
  }
  if (skipped.length === 0) return 0;
  await enqueueBackfills(
    queue,
    skipped.map((at) => ({ job_id: job.job_id, fire_ms: at, job, rev })),
  );
  return skipped.length;
}

/** Fires queued per addBulk while backfilling a whole fleet. */
const BACKFILL_BATCH = 1000;

/**
 * After Redis lost its data (restarted empty, keys deleted), the fires of `jobs` due in [from, to] were never
 * queued: their delayed entries went with it, and a rebuilt scheduler fires from its rebuild on. They are
 * queued here to be recorded (and run, within their grace) like any fire; one that had been recorded before
 * the loss, or is queued by another API too, counts once (the ledger's key per fire, the entries' ids). With
 * `coalesce` (JOB_COALESCE, the default) only each job's latest such fire, as a late fire takes the ones
 * before it. Returns how many were queued.
 */
export async function backfillLostFires(
  queue: Queue,
  jobs: AsyncIterable<StoredJob>,
  from: number,
  to: number,
  coalesce: boolean,
): Promise<number> {
  let batch: BackfillRunData[] = [];
  let queued = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await enqueueBackfills(queue, batch);
    queued += batch.length;
    batch = [];
  };
  for await (const stored of jobs) {
    const trigger = triggerFor(stored);
    const due: number[] = [];
    for (let at = trigger.nextFireTime(from); at !== null && at <= to; at = trigger.nextFireTime(at + 1)) {
      due.push(at);
      if (due.length > MAX_BACKFILL) due.shift();
    }
    const job = runSnapshot(stored);
    for (const at of coalesce ? due.slice(-1) : due)
      batch.push({ job_id: stored.job_id, fire_ms: at, job, rev: stored.revision });
    if (batch.length >= BACKFILL_BATCH) await flush();
  }
  await flush();
  return queued;
}

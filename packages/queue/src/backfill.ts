import { fireTimesWithin, type JobSummary, runSnapshot, type StoredJob, triggerFor } from '@tickwork/domain';
import type { BackfillRunData } from './queue-names.js';
import { schedulerIdFor } from './queue-names.js';
import { enqueueBackfills } from './run-queue.js';
import type { RunQueues } from './run-queues.js';

/** At most this many skipped fires are backfilled per late pickup (the most recent ones). */
const MAX_BACKFILL = 1000;

/**
 * BullMQ computes a scheduler's next fire when it picks one up, from that moment: fires due while this one
 * waited were skipped. Without coalescing (JOB_COALESCE=false) they are queued here, each to be recorded
 * once (and run within its grace) like any fire: those after `fireMs` and before the scheduler's next.
 * Returns how many were queued.
 */
export async function backfillSkippedFires(
  queues: RunQueues,
  job: JobSummary,
  rev: number,
  fireMs: number,
  now: number,
): Promise<number> {
  const trigger = triggerFor(job);
  const first = trigger.nextFireTime(fireMs + 1);
  if (first === null || first > now) return 0;
  // The job's scheduler, and its skipped fires, are in the queue of its worker tags.
  const queue = queues.of(job.worker_tags);
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
  queues: RunQueues,
  jobs: AsyncIterable<StoredJob>,
  from: number,
  to: number,
  coalesce: boolean,
): Promise<number> {
  // Per tag set: a job's fires go to the queue of its worker tags.
  const batches = new Map<string, { tags: readonly string[]; fires: BackfillRunData[] }>();
  let queued = 0;
  const flush = async (key: string) => {
    const batch = batches.get(key);
    if (!batch || batch.fires.length === 0) return;
    await enqueueBackfills(await queues.forWriting(batch.tags), batch.fires);
    queued += batch.fires.length;
    batch.fires = [];
  };
  for await (const stored of jobs) {
    // Never a fire from before the job existed.
    const due = fireTimesWithin(triggerFor(stored), Math.max(from, stored.created_time ?? from), to, MAX_BACKFILL);
    if (due.length === 0) continue;
    const tags = stored.worker_tags ?? [];
    const key = tags.join(',');
    const batch = batches.get(key) ?? { tags, fires: [] };
    batches.set(key, batch);
    const job = runSnapshot(stored);
    for (const at of coalesce ? due.slice(-1) : due)
      batch.fires.push({ job_id: stored.job_id, fire_ms: at, job, rev: stored.revision });
    if (batch.fires.length >= BACKFILL_BATCH) await flush(key);
  }
  for (const key of batches.keys()) await flush(key);
  return queued;
}

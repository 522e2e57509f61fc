import { type JobSummary, triggerFor } from '@tickwork/domain';
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

import type { Queue } from 'bullmq';
import {
  BACKFILL_RUN,
  type BackfillRunData,
  backfillRunIdFor,
  MANUAL_RUN,
  RETRY_RUN,
  type RecordedRunData,
  recordedRunIdFor,
} from './queue-names.js';
import type { RunQueues } from './run-queues.js';

/**
 * Queues the run of an execution recorded as waiting: a run-now (attempt 1) or a later attempt of a failed
 * fire, due after `delayMs`. The entry's id comes from the execution and attempt, so queueing twice queues once.
 */
export async function enqueueRecordedRun(queues: RunQueues, data: RecordedRunData, delayMs = 0): Promise<void> {
  // The queue of the job's worker tags as the execution recorded them: a run-now or retry of a tagged job
  // goes to the workers that have its tags, like its fires.
  const queue = await queues.forWriting(data.job.worker_tags);
  await queue.add(data.attempt <= 1 ? MANUAL_RUN : RETRY_RUN, data, {
    jobId: recordedRunIdFor(data.execution_id, data.attempt),
    delay: Math.max(0, delayMs),
    removeOnComplete: true,
    removeOnFail: 1000,
  });
}

/** Queues skipped fires of one job to be recorded (and run, within their grace) like scheduled ones. */
export async function enqueueBackfills(queue: Queue, fires: readonly BackfillRunData[]): Promise<void> {
  await queue.addBulk(
    fires.map((data) => ({
      name: BACKFILL_RUN,
      data,
      opts: { jobId: backfillRunIdFor(data.job_id, data.fire_ms), removeOnComplete: true, removeOnFail: 1000 },
    })),
  );
}

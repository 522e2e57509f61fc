import { Queue } from 'bullmq';
import {
  BACKFILL_RUN,
  type BackfillRunData,
  backfillRunIdFor,
  MANUAL_RUN,
  QUEUE_NAME,
  RETRY_RUN,
  type RecordedRunData,
  recordedRunIdFor,
} from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { apschedulerRepeatStrategy } from './repeat-strategy.js';

/** The producer side of the run queue, with our repeat strategy so upserted schedulers fire on our cron. */
export function createRunQueue(connection: RedisClient, prefix: string): Queue {
  return new Queue(QUEUE_NAME, {
    connection,
    prefix,
    settings: { repeatStrategy: apschedulerRepeatStrategy },
  });
}

/**
 * Queues the run of an execution recorded as `scheduled`: a run-now (retryNumber 0) or the n-th re-run of a
 * failed fire, after `delayMs`. The entry's id comes from the execution, so queueing twice queues once.
 */
export async function enqueueRecordedRun(
  queue: Queue,
  data: RecordedRunData,
  retryNumber = 0,
  delayMs = 0,
): Promise<void> {
  await queue.add(retryNumber === 0 ? MANUAL_RUN : RETRY_RUN, data, {
    jobId: recordedRunIdFor(data.execution_id, retryNumber),
    delay: delayMs,
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

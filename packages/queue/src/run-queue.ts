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
 * Queues the run of an execution recorded as waiting: a run-now (attempt 1) or a later attempt of a failed
 * fire, due after `delayMs`. The entry's id comes from the execution and attempt, so queueing twice queues once.
 */
export async function enqueueRecordedRun(queue: Queue, data: RecordedRunData, delayMs = 0): Promise<void> {
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

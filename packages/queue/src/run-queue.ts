import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MANUAL_RUN, type ManualRunData, manualRunIdFor, QUEUE_NAME } from './queue-names.js';
import { apschedulerRepeatStrategy } from './repeat-strategy.js';

/** The producer side of the run queue, with our repeat strategy so upserted schedulers fire on our cron. */
export function createRunQueue(connection: Redis, prefix: string): Queue {
  return new Queue(QUEUE_NAME, {
    connection,
    prefix,
    settings: { repeatStrategy: apschedulerRepeatStrategy },
  });
}

/** Queues a run-now; the job id is derived from the execution so a retried request cannot queue twice. */
export async function enqueueManualRun(queue: Queue, data: ManualRunData): Promise<void> {
  await queue.add(MANUAL_RUN, data, {
    jobId: manualRunIdFor(data.execution_id),
    removeOnComplete: true,
    removeOnFail: 1000,
  });
}

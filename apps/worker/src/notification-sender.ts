import type { RedisClient } from '@tickwork/queue';
import { NOTIFICATION_QUEUE_NAME, type NotificationData } from '@tickwork/queue';
import { type Job, Worker } from 'bullmq';
import type { Logger } from 'pino';

const SEND_TIMEOUT_MS = 10_000;

/**
 * Delivers queued failure notices: a JSON POST to each webhook. A receiver that is down, slow or answers
 * other than 2xx fails the attempt, and BullMQ tries again with backoff (see FailureNotifier).
 */
export class NotificationSender {
  private readonly worker: Worker<NotificationData>;

  constructor(connection: RedisClient, prefix: string, logger: Logger) {
    this.worker = new Worker<NotificationData>(NOTIFICATION_QUEUE_NAME, (job) => this.send(job), {
      connection,
      prefix,
      concurrency: 5,
    });
    this.worker.on('failed', (job, err) =>
      logger.warn({ url: job?.data.url, attempt: job?.attemptsMade, err: err.message }, 'notification not delivered'),
    );
    this.worker.on('error', (err) => logger.error({ err }, 'notification queue error'));
  }

  private async send(job: Job<NotificationData>): Promise<void> {
    const response = await fetch(job.data.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(job.data.body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${job.data.kind} receiver answered HTTP ${response.status}`);
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}

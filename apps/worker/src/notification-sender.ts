import type { RedisClient } from '@tickwork/queue';
import { NOTIFICATION_QUEUE_NAME, type NotificationData } from '@tickwork/queue';
import { InternalAddressError, type InternalUrlPolicy, outboundFetch } from '@tickwork/sdk';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';

const SEND_TIMEOUT_MS = 10_000;

/**
 * Delivers queued failure notices: a JSON POST to each webhook. A receiver that is down, slow or answers
 * other than 2xx fails the attempt, and BullMQ tries again with backoff (see FailureNotifier). A job's own
 * receiver (notify_webhook_url, notify_slack_url) at an internal address that ALLOW_INTERNAL_URLS does not
 * allow is refused at connect time (redirects and DNS answers included), and not tried again; the
 * operator's NOTIFY_WEBHOOK_URL and NOTIFY_SLACK_URL are the operator's choice, and are not checked.
 */
export class NotificationSender {
  private readonly worker: Worker<NotificationData>;

  constructor(
    connection: RedisClient,
    prefix: string,
    private readonly reach: { internalUrls: InternalUrlPolicy; operatorUrls: ReadonlyArray<string | undefined> },
    logger: Logger,
  ) {
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
    const response = await outboundFetch(
      job.data.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(job.data.body),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      },
      this.reach.operatorUrls.includes(job.data.url) ? true : this.reach.internalUrls,
    ).catch((err) => {
      throw err instanceof InternalAddressError ? new UnrecoverableError(err.message) : err;
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${job.data.kind} receiver answered HTTP ${response.status}`);
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}

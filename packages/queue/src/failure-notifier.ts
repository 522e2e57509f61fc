import { createHash } from 'node:crypto';
import { failureNotice, NOTIFIED_STATES, type NoticeSource, slackMessage } from '@tickwork/domain';
import { Queue } from 'bullmq';
import type { RedisClient } from './redis-connection.js';

/** Failure notices wait here until a worker has delivered them. */
export const NOTIFICATION_QUEUE_NAME = 'notifications';

export interface NotificationData {
  kind: 'webhook' | 'slack';
  url: string;
  body: unknown;
}

export interface NotifyTargets {
  /** NOTIFY_WEBHOOK_URL: every job's failures. */
  webhookUrl?: string;
  /** NOTIFY_SLACK_URL. */
  slackUrl?: string;
}

/** Tried this many times, waiting 2 s, 4 s, 8 s... between: a receiver down for a minute misses nothing. */
const ATTEMPTS = 6;

/**
 * Queues a notice of each failed, timed-out or skipped run for the fleet-wide targets and the job's own
 * (`notify_webhook_url`, `notify_slack_url`). Delivery happens in the workers (NotificationSender), retried
 * with backoff, so a slow or dead receiver never holds up a run or the API.
 */
export class FailureNotifier {
  private readonly queue: Queue;

  constructor(
    connection: RedisClient,
    prefix: string,
    private readonly targets: NotifyTargets,
  ) {
    this.queue = new Queue(NOTIFICATION_QUEUE_NAME, { connection, prefix });
  }

  async notify(
    source: NoticeSource & { job: { notify_webhook_url?: string | null; notify_slack_url?: string | null } },
  ): Promise<void> {
    if (!NOTIFIED_STATES.includes(source.state)) return;
    const notice = failureNotice(source);
    const sends: NotificationData[] = [];
    for (const url of new Set([this.targets.webhookUrl, source.job.notify_webhook_url])) {
      if (url) sends.push({ kind: 'webhook', url, body: notice });
    }
    for (const url of new Set([this.targets.slackUrl, source.job.notify_slack_url])) {
      if (url) sends.push({ kind: 'slack', url, body: slackMessage(notice) });
    }
    if (sends.length === 0) return;
    await this.queue.addBulk(
      sends.map((data) => ({
        name: data.kind,
        data,
        opts: {
          // One notice per run, state and target, however many times this is called.
          jobId: `notify-${source.execution_id}-${createHash('sha1').update(`${source.state} ${data.url}`).digest('hex').slice(0, 16)}`,
          attempts: ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

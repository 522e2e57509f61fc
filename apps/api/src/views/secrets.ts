import { AuditEvent, type JobSettings, roleAllows } from '@tickwork/domain';

type JobNotifyOptions = Pick<JobSettings, 'notify_webhook_url' | 'notify_slack_url'>;

import type { FastifyRequest } from 'fastify';

/**
 * What a viewer is shown instead of a job's notify_webhook_url or notify_slack_url: such a URL is a bearer
 * secret (whoever has a Slack incoming-webhook URL posts to that channel). Not a URL, so it cannot be sent
 * back by mistake: a job with it is refused (400, naming the field).
 */
export const HIDDEN_URL = '(hidden from viewers)';

const NOTIFY_FIELDS = ['notify_webhook_url', 'notify_slack_url'] as const;

/**
 * Whether this request's answers may show a job's notify URLs: editors and admins (who may set them) do, and
 * everyone while no users exist (ndscheduler's open mode); viewers, by session or token, do not.
 */
export function seesSecrets(request: FastifyRequest): boolean {
  return request.principal === null || roleAllows(request.principal.role, 'editor');
}

/** The job with each notify URL that is set replaced by HIDDEN_URL (one that is unset stays null). */
export function hideNotifyUrls<T extends Partial<JobNotifyOptions>>(job: T): T {
  if (NOTIFY_FIELDS.every((field) => typeof job[field] !== 'string')) return job;
  const hidden = { ...job };
  for (const field of NOTIFY_FIELDS) if (typeof hidden[field] === 'string') hidden[field] = HIDDEN_URL;
  return hidden;
}

const NOTIFY_CHANGE = /^(notify_webhook_url|notify_slack_url): (.*) => (.*)$/;

/**
 * An audit entry's description with the notify URLs it quotes hidden: a `modified` entry's
 * "notify_slack_url: old => new" lines (each value JSON; a URL holds no spaces, so " => " splits them) and a
 * `deleted` entry's old job (JSON). Other descriptions quote no job fields.
 */
export function hideInAuditDescription(event: string, description: string): string {
  if (event === AuditEvent.modified) {
    return description
      .split('\n')
      .map((line) => {
        const change = NOTIFY_CHANGE.exec(line);
        if (!change) return line;
        const hide = (value: string) => (value === 'null' ? value : JSON.stringify(HIDDEN_URL));
        return `${change[1]}: ${hide(change[2] as string)} => ${hide(change[3] as string)}`;
      })
      .join('\n');
  }
  if (event === AuditEvent.deleted) {
    let job: unknown;
    try {
      job = JSON.parse(description);
    } catch {
      return description;
    }
    if (typeof job !== 'object' || job === null || Array.isArray(job)) return description;
    const hidden = hideNotifyUrls(job as Partial<JobNotifyOptions>);
    return hidden === job ? description : JSON.stringify(hidden);
  }
  return description;
}

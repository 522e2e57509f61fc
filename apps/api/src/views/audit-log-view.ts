import { formatTime } from '@tickwork/domain';
import type { AuditLogDocument } from '@tickwork/store';
import { hideInAuditDescription } from './secrets.js';

/** An audit entry as ndscheduler's API shows it; with `hideSecrets` (a viewer asks) notify URLs it quotes are hidden. */
export function auditLogView(entry: AuditLogDocument, hideSecrets = false) {
  return {
    job_id: entry.job_id,
    job_name: entry.job_name,
    event: entry.event,
    user: entry.user,
    description: hideSecrets ? hideInAuditDescription(entry.event, entry.description) : entry.description,
    created_time: formatTime(new Date(entry.created_time).getTime()),
  };
}

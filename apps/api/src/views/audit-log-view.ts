import { formatTime } from '@tickwork/domain';
import type { AuditLogDocument } from '@tickwork/store';

export function auditLogView(entry: AuditLogDocument) {
  return {
    job_id: entry.job_id,
    job_name: entry.job_name,
    event: entry.event,
    user: entry.user,
    description: entry.description,
    created_time: formatTime(new Date(entry.created_time).getTime()),
  };
}

import type { AuditEvent } from '@tickwork/domain';
import { type Connection, type Model, Schema } from 'mongoose';

export interface AuditLogDocument {
  _id: string;
  job_id: string;
  job_name: string;
  event: AuditEvent;
  user: string;
  description: string;
  created_time: Date;
}

const auditLogSchema = new Schema<AuditLogDocument>(
  {
    _id: { type: String, required: true },
    job_id: { type: String, required: true },
    job_name: { type: String, default: '' },
    event: { type: String, required: true },
    user: { type: String, default: '' },
    description: { type: String, default: '' },
    created_time: { type: Date, required: true },
  },
  { collection: 'audit_logs', versionKey: false, minimize: false },
);
// The log's keyset order (newest first, then _id): MongoDB serves its time range and its sort from it.
auditLogSchema.index({ created_time: -1, _id: 1 });

export function auditLogModel(connection: Connection): Model<AuditLogDocument> {
  return connection.model<AuditLogDocument>('AuditLog', auditLogSchema);
}

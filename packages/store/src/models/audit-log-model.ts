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
  /** The 10-minute bucket and the day of created_time: ranges are looked up by these (see time-buckets). */
  bucket?: number;
  day?: number;
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
    bucket: { type: Number },
    day: { type: Number },
  },
  { collection: 'audit_logs', versionKey: false, minimize: false },
);
// Ranges are read bucket by bucket (equality look-ups, which FerretDB's backend can serve too), retention
// deletes by day.
auditLogSchema.index({ bucket: 1 });
auditLogSchema.index({ day: 1 });

export function auditLogModel(connection: Connection): Model<AuditLogDocument> {
  return connection.model<AuditLogDocument>('AuditLog', auditLogSchema);
}

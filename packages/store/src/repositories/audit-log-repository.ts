import { type AuditEvent, newId } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { AuditLogDocument } from '../models/audit-log-model.js';

export interface AuditEntry {
  job_id: string;
  job_name: string;
  event: AuditEvent;
  user: string;
  description: string;
}

export class AuditLogRepository {
  constructor(private readonly model: Model<AuditLogDocument>) {}

  async add(entry: AuditEntry): Promise<void> {
    await this.model.create({ _id: newId(), ...entry, created_time: new Date() });
  }

  /** Entries created in [start, end], newest first. */
  async listCreatedBetween(start: Date, end: Date): Promise<AuditLogDocument[]> {
    return this.model
      .find({ created_time: { $gte: start, $lte: end } })
      .sort({ created_time: -1, _id: 1 })
      .lean<AuditLogDocument[]>();
  }
}

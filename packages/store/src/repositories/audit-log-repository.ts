import { type AuditEvent, newId } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { AuditLogDocument } from '../models/audit-log-model.js';
import { keysetQuery, type Page, type PageMark, toPage } from './keyset-page.js';

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

  /** Deletes up to `limit` entries created before `before`; returns how many. */
  async deleteCreatedBefore(before: Date, limit: number): Promise<number> {
    const filter = { created_time: { $lt: before } };
    const ids = (await this.model.find(filter, { _id: 1 }).limit(limit).lean<Array<{ _id: string }>>()).map(
      (doc) => doc._id,
    );
    if (ids.length === 0) return 0;
    const result = await this.model.deleteMany({ ...filter, _id: { $in: ids } });
    return result.deletedCount;
  }

  /** Entries created in [start, end], newest first. */
  async listCreatedBetween(start: Date, end: Date, limit: number, after?: PageMark): Promise<Page<AuditLogDocument>> {
    const page = keysetQuery('created_time', true, after);
    const docs = await this.model
      .find({ created_time: { $gte: start, $lte: end }, ...page.filter })
      .sort(page.sort)
      .limit(limit + 1)
      .lean<AuditLogDocument[]>();
    return toPage(docs, limit, (doc) => doc.created_time);
  }
}

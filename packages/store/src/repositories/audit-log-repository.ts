import { type AuditEvent, bucketOf, bucketsCovering, dayOf, newId } from '@tickwork/domain';
import type { Model } from 'mongoose';
import { BatchedInserts, type BatchOptions } from '../batched-inserts.js';
import type { AuditLogDocument } from '../models/audit-log-model.js';
import type { Page, PageMark } from './keyset-page.js';

export interface AuditEntry {
  job_id: string;
  job_name: string;
  event: AuditEvent;
  user: string;
  description: string;
}

/** Newest first, ties by id: the order the log is listed and paged in. */
function newestFirst(a: AuditLogDocument, b: AuditLogDocument): number {
  return b.created_time.getTime() - a.created_time.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

function isAfter(doc: AuditLogDocument, mark: PageMark): boolean {
  const t = doc.created_time.getTime();
  return t < mark.time.getTime() || (t === mark.time.getTime() && doc._id > mark.id);
}

export class AuditLogRepository {
  private readonly inserts: BatchedInserts;

  constructor(
    private readonly model: Model<AuditLogDocument>,
    batch: BatchOptions,
  ) {
    this.inserts = new BatchedInserts(model.collection, batch);
  }

  /** Filed under the 10-minute bucket and the day of its time, which is how ranges find it. */
  async add(entry: AuditEntry, now = Date.now()): Promise<void> {
    await this.inserts.insert({
      _id: newId(),
      ...entry,
      created_time: new Date(now),
      bucket: bucketOf(now),
      day: dayOf(now),
    });
  }

  /** Deletes every entry filed under `day` (retention); returns how many. */
  async deleteDay(day: number): Promise<number> {
    return (await this.model.deleteMany({ day })).deletedCount;
  }

  /** The oldest day holding an entry (a whole-collection read: retention asks it once, then keeps count). */
  async oldestDay(): Promise<number | null> {
    const doc = await this.model
      .findOne({ day: { $exists: true } }, { day: 1 })
      .sort({ day: 1 })
      .lean<{ day?: number }>();
    return doc?.day ?? null;
  }

  /**
   * Entries created in [start, end], newest first: the buckets covering the range are read newest first
   * until the page is full, so a page costs what its buckets hold, not what the log holds.
   */
  async listCreatedBetween(start: Date, end: Date, limit: number, after?: PageMark): Promise<Page<AuditLogDocument>> {
    const from = start.getTime();
    const to = Math.min(end.getTime(), after ? after.time.getTime() : Number.POSITIVE_INFINITY);
    const found: AuditLogDocument[] = [];
    for (const key of bucketsCovering(from, to).reverse()) {
      const docs = await this.model.find(key, { bucket: 0, day: 0 }).lean<AuditLogDocument[]>();
      for (const doc of docs) {
        const t = doc.created_time.getTime();
        if (t >= from && t <= end.getTime() && (!after || isAfter(doc, after))) found.push(doc);
      }
      // A bucket holds whole instants: once it is read, everything newer than what is left to read is in hand.
      if (found.length > limit) break;
    }
    found.sort(newestFirst);
    if (found.length <= limit) return { items: found, next: null };
    const items = found.slice(0, limit);
    const last = items[items.length - 1] as AuditLogDocument;
    return { items, next: { time: last.created_time, id: last._id } };
  }
}

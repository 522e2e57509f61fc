import {
  type AuditEvent,
  BUCKET_MS,
  type BucketKey,
  bucketOf,
  bucketsCovering,
  DAY_MS,
  dayOf,
  newId,
} from '@tickwork/domain';
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

/**
 * A bucket that ended this long ago gets no more entries: each is filed by its writer's clock at insert time
 * (clocks kept within a minute of each other, as NTP does, and batches flushed in milliseconds).
 */
const CLOSED_AFTER_MS = 2 * 60_000;
/** Closed buckets kept in memory: the last day's (what the UI polls), up to this many entries in all. */
const KEPT_ENTRIES_MAX = 200_000;

export class AuditLogRepository {
  private readonly inserts: BatchedInserts;
  /** bucket → its entries, for closed buckets of the last day, oldest first; a read costs the open ones only. */
  private readonly closedBuckets = new Map<number, AuditLogDocument[]>();
  private keptEntries = 0;

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
    for (const bucket of this.closedBuckets.keys()) {
      if (Math.floor((bucket * BUCKET_MS) / DAY_MS) === day) this.forget(bucket);
    }
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
    const now = Date.now();
    this.forgetBefore(bucketOf(now - DAY_MS));
    for (const key of bucketsCovering(from, to).reverse()) {
      const docs = await this.read(key, now);
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

  /**
   * Loads the last day's closed buckets, so that the first look at the log does not pay for them: two
   * look-ups by day (today and yesterday), sorted into buckets here.
   */
  async warm(now = Date.now()): Promise<void> {
    const first = bucketOf(now - DAY_MS);
    const last = bucketOf(now - CLOSED_AFTER_MS) - 1;
    const byBucket = new Map<number, AuditLogDocument[]>();
    for (let bucket = first; bucket <= last; bucket++) byBucket.set(bucket, []);
    for (const day of new Set([dayOf(now - DAY_MS), dayOf(now)])) {
      for (const doc of await this.model.find({ day }, { bucket: 0, day: 0 }).lean<AuditLogDocument[]>()) {
        byBucket.get(bucketOf(doc.created_time.getTime()))?.push(doc);
      }
    }
    for (const [bucket, docs] of byBucket) {
      if (this.closedBuckets.has(bucket) || this.keptEntries + docs.length > KEPT_ENTRIES_MAX) continue;
      this.closedBuckets.set(bucket, docs);
      this.keptEntries += docs.length;
    }
  }

  private async read(key: BucketKey, now: number): Promise<AuditLogDocument[]> {
    const bucket = 'bucket' in key ? key.bucket : null;
    const kept = bucket === null ? undefined : this.closedBuckets.get(bucket);
    if (kept) return kept;
    const docs = await this.model.find(key, { bucket: 0, day: 0 }).lean<AuditLogDocument[]>();
    const keep =
      bucket !== null &&
      (bucket + 1) * BUCKET_MS <= now - CLOSED_AFTER_MS &&
      bucket >= bucketOf(now - DAY_MS) &&
      this.keptEntries + docs.length <= KEPT_ENTRIES_MAX;
    if (keep) {
      this.closedBuckets.set(bucket, docs);
      this.keptEntries += docs.length;
    }
    return docs;
  }

  private forgetBefore(bucket: number): void {
    for (const kept of this.closedBuckets.keys()) if (kept < bucket) this.forget(kept);
  }

  private forget(bucket: number): void {
    this.keptEntries -= this.closedBuckets.get(bucket)?.length ?? 0;
    this.closedBuckets.delete(bucket);
  }
}

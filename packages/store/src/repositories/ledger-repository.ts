import { type BucketKey, bucketOf, dayOf, ExecutionState, type LedgerEntry } from '@tickwork/domain';
import type { Collection, Document, IndexDescription } from 'mongodb';
import { BatchedInserts, type BatchOptions, type InsertOutcome } from '../batched-inserts.js';

/**
 * One ledger entry as stored. Only what queries match on is a field of its own; the rest is one JSON string,
 * which every MongoDB-wire server stores as it is (any JSON a job's arguments hold, keys with `$` or `.`
 * included) and FerretDB decodes several times faster than the same data as nested fields.
 */
export interface LedgerDocument {
  _id: string;
  execution_id: string;
  /** The 10-minute bucket and the day of the execution's scheduled_time (see time-buckets). */
  bucket: number;
  day: number;
  /** On an entry that leaves its execution waiting for a queued run: the day it was written. */
  pending_day?: number;
  /** What the run logged, beside the entry so that lists can leave it out. */
  output?: string;
  /**
   * On the end of an execution that jobs wait for (`after`): the 10-minute bucket it was written in, and
   * the job, so the API's chain catch-up finds recent ends with one indexed equality per bucket.
   */
  chain_bucket?: number;
  chain_job?: string;
  entry: string;
}

/** A recent end of an execution that jobs wait for, as the chain catch-up reads it. */
export interface ChainedEnd {
  entry: LedgerEntry;
  job_id: string;
}

/** A worker's claim on the runs it holds, written with them: what the reaper reads when the worker is lost. */
export interface LeaseDocument {
  _id: string;
  lease: 1;
  holder: string;
  seq: number;
  held: string[];
  at: Date;
}

/** Equality look-ups only: each one a backend index serves, on FerretDB as on MongoDB. */
export const LEDGER_INDEXES: IndexDescription[] = [
  { key: { execution_id: 1 } },
  { key: { bucket: 1 } },
  { key: { day: 1 } },
  { key: { pending_day: 1 } },
  { key: { lease: 1 } },
  { key: { chain_bucket: 1 } },
];

export function toLedgerDocument(entry: LedgerEntry, chainedJob?: string): LedgerDocument {
  const { id, output, ...rest } = entry as LedgerEntry & { output?: string };
  const doc: LedgerDocument = {
    _id: id,
    execution_id: entry.execution_id,
    bucket: bucketOf(entry.scheduled_time),
    day: dayOf(entry.scheduled_time),
    entry: JSON.stringify(rest),
  };
  if (entry.state === ExecutionState.scheduled) doc.pending_day = dayOf(entry.at);
  if (output !== undefined) doc.output = output;
  if (chainedJob !== undefined) {
    doc.chain_bucket = bucketOf(entry.at);
    doc.chain_job = chainedJob;
  }
  return doc;
}

export function fromLedgerDocument(doc: LedgerDocument): LedgerEntry {
  const entry = { ...(JSON.parse(doc.entry) as Omit<LedgerEntry, 'id'>), id: doc._id } as LedgerEntry & {
    output?: string;
  };
  if (doc.output !== undefined) entry.output = doc.output;
  return entry;
}

export function leaseDocument(holder: string, seq: number, held: readonly string[], at: number): LeaseDocument {
  return { _id: `lease:${holder}:${seq}`, lease: 1, holder, seq, held: [...held], at: new Date(at) };
}

/**
 * The execution ledger: insert-only. Every change to an execution is a new entry whose `_id` is the slot it
 * takes, so the store's unique index decides every race; nothing is ever updated in place, so nothing can
 * be reverted by a write built from a stale read.
 */
export class LedgerRepository {
  private readonly inserts: BatchedInserts;

  constructor(
    readonly collection: Collection<Document>,
    batch: BatchOptions,
  ) {
    this.inserts = new BatchedInserts(collection, batch);
  }

  /** Writes an entry (batched with others); `duplicate` when its slot is taken already. */
  append(entry: LedgerEntry, chainedJob?: string): Promise<InsertOutcome> {
    return this.inserts.insert(toLedgerDocument(entry, chainedJob));
  }

  /** The ends of executions that jobs wait for, written in one 10-minute bucket (bucketOf their time). */
  async chainedEndsIn(bucket: number): Promise<ChainedEnd[]> {
    const docs = await this.collection
      .find<LedgerDocument>({ chain_bucket: bucket }, { projection: { output: 0 } })
      .toArray();
    return docs.map((doc) => ({ entry: fromLedgerDocument(doc), job_id: doc.chain_job ?? '' }));
  }

  async entry(id: string): Promise<LedgerEntry | null> {
    const doc = await this.collection.findOne<LedgerDocument>({ _id: id as unknown as Document['_id'] });
    return doc ? fromLedgerDocument(doc) : null;
  }

  /** Every entry of one execution. */
  async entriesOf(executionId: string): Promise<LedgerEntry[]> {
    const docs = await this.collection.find<LedgerDocument>({ execution_id: executionId }).toArray();
    return docs.map(fromLedgerDocument);
  }

  /** Every entry of the executions filed under one bucket or day; outputs left out unless asked for. */
  async entriesIn(key: BucketKey, withOutput = false): Promise<LedgerEntry[]> {
    const docs = await this.collection
      .find<LedgerDocument>(key, withOutput ? {} : { projection: { output: 0 } })
      .toArray();
    return docs.map(fromLedgerDocument);
  }

  /** Entries written on `day` that left their execution waiting for a queued run. */
  async pendingOn(day: number): Promise<LedgerEntry[]> {
    const docs = await this.collection
      .find<LedgerDocument>({ pending_day: day }, { projection: { output: 0 } })
      .toArray();
    return docs.map(fromLedgerDocument);
  }

  async writeLease(lease: LeaseDocument): Promise<void> {
    await this.collection.insertOne(lease as unknown as Document);
  }

  async leases(): Promise<LeaseDocument[]> {
    return this.collection.find<LeaseDocument>({ lease: 1 }).toArray();
  }

  /** Drops a holder's leases older than `belowSeq` (all of them without it). */
  async dropLeases(holder: string, belowSeq?: number): Promise<void> {
    const filter: Document = { lease: 1, holder };
    if (belowSeq !== undefined) filter.seq = { $lt: belowSeq };
    await this.collection.deleteMany(filter);
  }

  /** The oldest day holding an entry (a whole-collection read: retention asks it once, then keeps count). */
  async oldestDay(): Promise<number | null> {
    const doc = await this.collection
      .find<{ day: number }>({ day: { $exists: true } }, { projection: { day: 1 } })
      .sort({ day: 1 })
      .limit(1)
      .next();
    return doc?.day ?? null;
  }

  /** Deletes every entry filed under one day (retention); returns how many. */
  async deleteDay(day: number): Promise<number> {
    return (await this.collection.deleteMany({ day })).deletedCount;
  }
}

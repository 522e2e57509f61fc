import type { Collection, Document, MongoBulkWriteError } from 'mongodb';
import { isDuplicateKey } from './repositories/duplicate-key.js';

/** Whether a document went in, or the store refused it for an `_id` it already holds. */
export type InsertOutcome = 'inserted' | 'duplicate';

export interface BatchOptions {
  /** How long the first document of a batch waits for others to join it (ms). */
  windowMs: number;
  /** The most documents one insertMany carries. */
  maxBatch: number;
  /** Batches on their way at once; later documents gather into the next one meanwhile. */
  maxInFlight: number;
  /** Documents to write with each batch, in the same insertMany (e.g. a worker's lease on the runs in it). */
  companions?: (batch: readonly Document[]) => Document[];
}

interface Pending {
  doc: Document;
  resolve: (outcome: InsertOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Inserts gathered into one `insertMany({ordered: false})` per few milliseconds. On FerretDB an insertMany
 * costs about a seventh of the same documents inserted one by one, and the store still judges each document
 * on its own: a duplicate `_id` is refused for that document alone and reported to its caller as
 * `duplicate`. A batch that fails as a whole (the server unreachable) rejects every caller in it, who
 * decides whether to try again; an insert either landed or not, so trying again is safe.
 */
export class BatchedInserts {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;

  constructor(
    private readonly collection: Collection,
    private readonly options: BatchOptions,
  ) {}

  insert(doc: Document): Promise<InsertOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.flush();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const docs = batch.map((p) => p.doc);
    const companions = this.options.companions?.(docs) ?? [];
    // Companions go first: a failure of theirs is known before the batch's own documents are trusted.
    const all = [...companions, ...docs];
    const failures = new Map<number, unknown>();
    try {
      await this.collection.insertMany(all, { ordered: false });
    } catch (err) {
      const writeErrors = (err as MongoBulkWriteError).writeErrors;
      // No document judged one by one: the batch failed as a whole (the server went away, say). The driver
      // then reports a bulk error with no write errors, which says nothing about what landed.
      if (!Array.isArray(writeErrors) || writeErrors.length === 0) {
        for (const p of batch) p.reject(err);
        return;
      }
      for (const e of writeErrors) failures.set(e.index, isDuplicateKey(e) ? 'duplicate' : e);
      const companionFailure = [...failures].find(([index, why]) => index < companions.length && why !== 'duplicate');
      if (companionFailure) {
        for (const p of batch) p.reject(companionFailure[1]);
        return;
      }
    }
    batch.forEach((p, i) => {
      const failure = failures.get(companions.length + i);
      if (failure === undefined) p.resolve('inserted');
      else if (failure === 'duplicate') p.resolve('duplicate');
      else p.reject(failure);
    });
  }
}

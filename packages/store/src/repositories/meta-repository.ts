import type { Collection, Document } from 'mongodb';

/** Tickwork's own bookkeeping in the store, a small document per key: how far retention got, which migrations ran. */
export class MetaRepository {
  constructor(private readonly collection: Collection<Document>) {}

  async get<T>(key: string): Promise<T | null> {
    const doc = await this.collection.findOne({ _id: key as unknown as Document['_id'] });
    return doc ? (doc.value as T) : null;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.collection.replaceOne({ _id: key as unknown as Document['_id'] }, { value }, { upsert: true });
  }
}

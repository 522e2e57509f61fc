import { type JobDefinition, jobSummary } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { JobDocument } from '../models/job-model.js';
import { keysetQuery, type Page, type PageMark, toPage } from './keyset-page.js';

function toDefinition(doc: JobDocument): JobDefinition {
  const job = { ...jobSummary({ ...doc, job_id: doc._id, pub_args: doc.pub_args ?? [] }), paused: doc.paused };
  return doc.author_role ? { ...job, author_role: doc.author_role } : job;
}

export class JobRepository {
  constructor(private readonly model: Model<JobDocument>) {}

  async insert(job: JobDefinition): Promise<void> {
    const now = new Date();
    const { job_id, ...rest } = job;
    await this.model.create({ _id: job_id, ...rest, created_time: now, updated_time: now });
  }

  async get(jobId: string): Promise<JobDefinition | null> {
    const doc = await this.model.findById(jobId).lean<JobDocument>();
    return doc ? toDefinition(doc) : null;
  }

  /** Jobs in the order they were added, a page at a time. */
  async list(limit: number, after?: PageMark): Promise<Page<JobDefinition>> {
    const page = keysetQuery('created_time', false, after);
    const docs = await this.model
      .find(page.filter)
      .sort(page.sort)
      .limit(limit + 1)
      .lean<JobDocument[]>();
    const { items, next } = toPage(docs, limit, (doc) => doc.created_time);
    return { items: items.map(toDefinition), next };
  }

  /** Every active job, read a batch at a time: 100,000 of them never sit in memory at once. */
  async *streamActive(): AsyncGenerator<JobDefinition> {
    for await (const doc of this.model.find({ paused: false }).lean<JobDocument>().cursor({ batchSize: 1000 })) {
      yield toDefinition(doc as JobDocument);
    }
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }

  /** Replaces the stored definition; false when the job is gone. */
  async replace(job: JobDefinition): Promise<boolean> {
    const { job_id, ...rest } = job;
    const result = await this.model.updateOne({ _id: job_id }, { $set: { ...rest, updated_time: new Date() } });
    return result.matchedCount === 1;
  }

  async setPaused(jobId: string, paused: boolean): Promise<boolean> {
    const result = await this.model.updateOne({ _id: jobId }, { $set: { paused, updated_time: new Date() } });
    return result.matchedCount === 1;
  }

  async delete(jobId: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: jobId });
    return result.deletedCount === 1;
  }
}

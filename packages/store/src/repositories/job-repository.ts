import { type JobDefinition, jobSummary, type StoredJob } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { JobDocument } from '../models/job-model.js';
import { keysetQuery, type Page, type PageMark, toPage } from './keyset-page.js';

function toStoredJob(doc: JobDocument): StoredJob {
  // pub_args are kept as one JSON string (any JSON, stored faithfully); jobs written before that hold an array.
  const pubArgs = doc.pub_args_json !== undefined ? (JSON.parse(doc.pub_args_json) as unknown[]) : (doc.pub_args ?? []);
  return {
    ...jobSummary({ ...doc, job_id: doc._id, pub_args: pubArgs }),
    ...(doc.author_role ? { author_role: doc.author_role } : {}),
    paused: doc.paused,
    created_time: new Date(doc.created_time).getTime(),
    revision: new Date(doc.updated_time).getTime(),
  };
}

function toFields(job: JobDefinition) {
  const { job_id: _, pub_args, ...rest } = job;
  return { ...rest, pub_args_json: JSON.stringify(pub_args), after_job_id: job.after?.job_id ?? null };
}

export class JobRepository {
  constructor(private readonly model: Model<JobDocument>) {}

  /** Stores a new job at revision `at`. */
  async insert(job: JobDefinition, at: number): Promise<StoredJob> {
    const now = new Date(at);
    await this.model.collection.insertOne({
      _id: job.job_id as never,
      ...toFields(job),
      created_time: now,
      updated_time: now,
    });
    return { ...job, created_time: at, revision: at };
  }

  async get(jobId: string): Promise<StoredJob | null> {
    const doc = await this.model.findById(jobId).lean<JobDocument>();
    return doc ? toStoredJob(doc) : null;
  }

  /** Jobs in the order they were added, a page at a time. */
  async list(limit: number, after?: PageMark): Promise<Page<StoredJob>> {
    const page = keysetQuery('created_time', false, after);
    const docs = await this.model
      .find(page.filter)
      .sort(page.sort)
      .limit(limit + 1)
      .lean<JobDocument[]>();
    const { items, next } = toPage(docs, limit, (doc) => doc.created_time);
    return { items: items.map(toStoredJob), next };
  }

  /** Every job, read a batch at a time: 100,000 of them never sit in memory at once. */
  async *stream(filter: { paused?: boolean } = {}): AsyncGenerator<StoredJob> {
    for await (const doc of this.model.find(filter).lean<JobDocument>().cursor({ batchSize: 1000 })) {
      yield toStoredJob(doc as JobDocument);
    }
  }

  /** The jobs whose `after` names this one (an indexed equality). */
  async dependantsOf(jobId: string): Promise<StoredJob[]> {
    const docs = await this.model.find({ after_job_id: jobId }).lean<JobDocument[]>();
    return docs.map(toStoredJob);
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }

  /** Replaces the stored definition, at revision `at`; false when the job is gone. */
  async replace(job: JobDefinition, at: number): Promise<boolean> {
    const result = await this.model.collection.updateOne(
      { _id: job.job_id as never },
      { $set: { ...toFields(job), updated_time: new Date(at) }, $unset: { pub_args: '' } },
    );
    return result.matchedCount === 1;
  }

  async setPaused(jobId: string, paused: boolean, at: number): Promise<boolean> {
    const result = await this.model.updateOne({ _id: jobId }, { $set: { paused, updated_time: new Date(at) } });
    return result.matchedCount === 1;
  }

  async delete(jobId: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: jobId });
    return result.deletedCount === 1;
  }
}

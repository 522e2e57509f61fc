import { ExecutionState, type JobDefinition, jobSummary } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { ExecutionDocument } from '../models/execution-model.js';

export type ExecutionRecord = ExecutionDocument;

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

export interface NewExecution {
  execution_id: string;
  job: JobDefinition;
  fire_key: string;
  scheduled_time: Date;
  state?: ExecutionState;
  result?: string;
  description?: string;
}

export interface ExecutionUpdate {
  state: ExecutionState;
  hostname?: string;
  pid?: number;
  task_id?: string;
  description?: string;
  result?: string;
}

export class ExecutionRepository {
  constructor(private readonly model: Model<ExecutionDocument>) {}

  /**
   * Records an execution unless one exists for the same fire; the unique index on fire_key makes this the
   * single point where two workers racing for one fire are told apart. Returns null for the loser.
   */
  async insertOnce(execution: NewExecution): Promise<ExecutionRecord | null> {
    const doc: ExecutionDocument = {
      _id: execution.execution_id,
      job_id: execution.job.job_id,
      fire_key: execution.fire_key,
      state: execution.state ?? ExecutionState.scheduled,
      hostname: '',
      pid: -1,
      task_id: '',
      description: execution.description ?? '',
      result: execution.result ?? '',
      scheduled_time: execution.scheduled_time,
      updated_time: new Date(),
      job: jobSummary(execution.job),
    };
    try {
      await this.model.create(doc);
      return doc;
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  async get(executionId: string): Promise<ExecutionRecord | null> {
    return this.model.findById(executionId).lean<ExecutionDocument>();
  }

  async getByFireKey(fireKey: string): Promise<ExecutionRecord | null> {
    return this.model.findOne({ fire_key: fireKey }).lean<ExecutionDocument>();
  }

  /** Moves an execution on, but only from one of the states given: false when it was not in them. */
  async transition(executionId: string, from: readonly ExecutionState[], update: ExecutionUpdate): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: executionId, state: { $in: [...from] } },
      { $set: { ...update, updated_time: new Date() } },
    );
    return result.matchedCount === 1;
  }

  /** Executions whose scheduled_time lies in [start, end], most recently updated first. */
  async listScheduledBetween(start: Date, end: Date): Promise<ExecutionRecord[]> {
    return this.model
      .find({ scheduled_time: { $gte: start, $lte: end } })
      .sort({ updated_time: -1, _id: 1 })
      .lean<ExecutionDocument[]>();
  }

  async listForJob(jobId: string): Promise<ExecutionRecord[]> {
    return this.model.find({ job_id: jobId }).sort({ scheduled_time: 1 }).lean<ExecutionDocument[]>();
  }
}

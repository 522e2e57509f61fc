import { type EndedAttempt, ExecutionState, FINAL_STATES, type JobSummary, jobSummary } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { ExecutionDocument } from '../models/execution-model.js';
import { isDuplicateKey } from './duplicate-key.js';
import { keysetQuery, type Page, type PageMark, toPage } from './keyset-page.js';

export type ExecutionRecord = ExecutionDocument;

export interface NewExecution {
  execution_id: string;
  job: JobSummary;
  fire_key: string;
  scheduled_time: Date;
  state?: ExecutionState;
  result?: string;
  description?: string;
  /** For a record born running: who runs it, under which attempt and lease. */
  hostname?: string;
  pid?: number;
  task_id?: string;
  attempt?: string;
  lease_until?: Date | null;
  /** For a record born `scheduled`: when its queued run is due. */
  run_after?: Date | null;
}

export interface ExecutionUpdate {
  state: ExecutionState;
  attempt?: string;
  lease_until?: Date | null;
  started_time?: Date | null;
  hostname?: string;
  pid?: number;
  task_id?: string;
  description?: string;
  result?: string;
  /** The run's output (capped), written with its final state. */
  output?: string;
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
      hostname: execution.hostname ?? '',
      pid: execution.pid ?? -1,
      task_id: execution.task_id ?? '',
      description: execution.description ?? '',
      result: execution.result ?? '',
      scheduled_time: execution.scheduled_time,
      updated_time: new Date(),
      attempt: execution.attempt ?? '',
      lease_until: execution.lease_until ?? null,
      started_time: execution.state === ExecutionState.running ? new Date() : null,
      run_after: execution.run_after ?? null,
      output: '',
      attempts: [],
      // The author's role goes with the snapshot: a run-now or a retry runs the job as recorded here.
      job: execution.job.author_role
        ? { ...jobSummary(execution.job), author_role: execution.job.author_role }
        : jobSummary(execution.job),
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

  /**
   * Takes a `scheduled` execution for a run: moves it on with `update` and returns it as it now is, in one
   * round trip; null when it is no longer `scheduled` (stopped meanwhile, or taken by another worker).
   */
  async claim(executionId: string, update: ExecutionUpdate): Promise<ExecutionRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: executionId, state: ExecutionState.scheduled },
        { $set: { ...update, updated_time: new Date() } },
        { new: true },
      )
      .lean<ExecutionDocument>();
  }

  /**
   * Moves an execution on, but only from one of the states given and, with `attempt`, only while that
   * attempt still holds it (a worker cut off and written off by the reaper cannot overwrite the final
   * state). False when the record was not in that state or not that attempt's.
   */
  async transition(
    executionId: string,
    from: readonly ExecutionState[],
    update: ExecutionUpdate,
    attempt?: string,
  ): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: executionId, state: { $in: [...from] } };
    if (attempt !== undefined) filter.attempt = attempt;
    const result = await this.model.updateOne(filter, { $set: { ...update, updated_time: new Date() } });
    return result.matchedCount === 1;
  }

  /**
   * Puts a fire whose attempt failed back to `scheduled` for another attempt due at `runAfter`, keeping the
   * failed one in `attempts`. Fenced like transition(); false when the attempt no longer holds the record.
   */
  async scheduleRetry(
    executionId: string,
    attempt: string,
    ended: EndedAttempt,
    description: string,
    runAfter: Date,
  ): Promise<boolean> {
    const result = await this.model.updateOne(
      // Only from `running`: a run someone asked to stop is not run again.
      { _id: executionId, state: ExecutionState.running, attempt },
      {
        $set: {
          state: ExecutionState.scheduled,
          description,
          attempt: '',
          lease_until: null,
          started_time: null,
          run_after: runAfter,
          updated_time: new Date(),
        },
        $push: { attempts: ended },
      },
    );
    return result.matchedCount === 1;
  }

  /** `scheduled` records whose run was due before `before`: their queue entry may have been lost. */
  async listOverdueScheduled(before: Date, limit = 500): Promise<ExecutionRecord[]> {
    return this.model
      .find({ state: ExecutionState.scheduled, run_after: { $lt: before } })
      .limit(limit)
      .lean<ExecutionDocument[]>();
  }

  /**
   * Extends the leases of the attempts a live worker is running: one round trip, whatever their number. Each
   * is found by _id (then fenced by its attempt), a lookup every MongoDB-wire server serves from an index;
   * a filter on `attempt` alone would make FerretDB read the whole collection every heartbeat.
   */
  async renewLeases(runs: ReadonlyArray<{ executionId: string; attempt: string }>, until: Date): Promise<void> {
    if (runs.length === 0) return;
    await this.model.bulkWrite(
      runs.map((run) => ({
        updateOne: {
          filter: {
            _id: run.executionId,
            attempt: run.attempt,
            state: { $in: [ExecutionState.running, ExecutionState.stopping] },
          },
          update: { $set: { lease_until: until } },
        },
      })),
      { ordered: false },
    );
  }

  /**
   * Running or stopping attempts whose worker stopped vouching for them before `now`. One query per state,
   * each an equality: FerretDB hands equalities to its storage and reads back only the matching few, where
   * an `$in` would have it read every execution stored, every reaper pass.
   */
  async listExpiredLeases(now: Date, limit = 500): Promise<ExecutionRecord[]> {
    const expired: ExecutionRecord[] = [];
    for (const state of [ExecutionState.running, ExecutionState.stopping]) {
      expired.push(
        ...(await this.model
          .find({ state, lease_until: { $lt: now } })
          .limit(limit - expired.length)
          .lean<ExecutionDocument[]>()),
      );
      if (expired.length >= limit) break;
    }
    return expired;
  }

  /**
   * Deletes up to `limit` finished executions last updated before `before`; returns how many. Bounded so a
   * first pass over years of history does not hold the server in one huge delete.
   */
  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    const filter = { state: { $in: [...FINAL_STATES] }, updated_time: { $lt: before } };
    const ids = (await this.model.find(filter, { _id: 1 }).limit(limit).lean<Array<{ _id: string }>>()).map(
      (doc) => doc._id,
    );
    if (ids.length === 0) return 0;
    const result = await this.model.deleteMany({ ...filter, _id: { $in: ids } });
    return result.deletedCount;
  }

  /** Executions whose scheduled_time lies in [start, end], most recently updated first. */
  async listScheduledBetween(start: Date, end: Date, limit: number, after?: PageMark): Promise<Page<ExecutionRecord>> {
    const page = keysetQuery('updated_time', true, after);
    const docs = await this.model
      .find({ scheduled_time: { $gte: start, $lte: end }, ...page.filter })
      // Lists stay small: a run's output is read one execution at a time.
      .select({ output: 0 })
      .sort(page.sort)
      .limit(limit + 1)
      .lean<ExecutionDocument[]>();
    return toPage(docs, limit, (doc) => doc.updated_time);
  }
}

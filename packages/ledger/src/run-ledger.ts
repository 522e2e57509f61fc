import {
  chainExecutionId,
  chainTriggered,
  type Execution,
  ExecutionEvent,
  type ExecutionPosition,
  ExecutionState,
  fireExecutionId,
  foldExecution,
  type JobSummary,
  type LedgerEntry,
  newId,
  type Outcome,
  type Refusal,
  recordedEntry,
  retryAt,
  runSnapshot,
  type StepFields,
  stepEntry,
} from '@tickwork/domain';
import {
  type ChainBook,
  type ChainedJob,
  enqueueRecordedRun,
  type JobChangeFeed,
  type RecordedRunData,
  type RedisClient,
  type RunControlChannel,
  type RunEndReporter,
  type RunQueues,
  type RunTiming,
  withDeadline,
} from '@tickwork/queue';
import { Store } from '@tickwork/store';
import { type Delivery, deliverOnce } from './delivery.js';
import type { LeaseBook } from './lease-book.js';
import type { LedgerFeed } from './ledger-feed.js';
import type { LedgerLog } from './ledger-log.js';

/** The worker process that runs what it takes. */
export interface RunHost {
  holder: string;
  hostname: string;
  pid: number;
  leases: LeaseBook;
}

/** What a ledger works with; the API's has no host, a worker's has its own. */
export interface LedgerContext {
  store: Store;
  runQueues: RunQueues;
  ends: RunEndReporter;
  log: LedgerLog;
  /** How a write that met a store outage is handled (default: it fails). */
  delivery?: Delivery;
  host?: RunHost;
  /** Where stop requests are sent to the workers (the API's). */
  control?: { channel: RunControlChannel; publisher: RedisClient };
  clock?: () => number;
  /** How long a run-now waits for Redis to queue it (default 5 s). */
  enqueueDeadlineMs?: number;
  /** Where written entries are published for the API's execution windows. */
  feed?: LedgerFeed;
  /** Which jobs wait for which (`after`), and the jobs' current revisions to check them by. */
  chains?: { book: ChainBook; revisions: JobChangeFeed };
}

/** The jobs to run after an end, and whether the end is marked for the API's chain catch-up. */
interface Waiting {
  jobs: ChainedJob[];
  /** Someone may wait: the end is filed for the catch-up (also when Redis could not say). */
  mark: boolean;
}

/** What became of one chained run: recorded and queued, recorded before, or not to run (job changed). */
export type ChainedRun = 'queued' | 'exists' | 'skipped';

/** A run this worker holds: what it needs to run it and write its end. */
export interface Attempt {
  execution_id: string;
  scheduled_time: number;
  attempt: number;
  job: JobSummary;
  started: number;
  /** A scheduled fire (its lateness is measured), as opposed to a run-now or a retry. */
  fired: boolean;
}

export type FireResult = { taken: Attempt } | { refused: Refusal } | { duplicate: true };

/** How a run's end was recorded: as its own, as a retry, as the stop asked meanwhile, or not at all. */
export type FinishResult = 'ended' | 'retried' | 'stopped' | 'fenced';

/** The execution is not in a state the request needs; `state` says which it is in. */
export class ExecutionStateError extends Error {
  constructor(
    readonly executionId: string,
    readonly state: ExecutionState | null,
  ) {
    super(
      state === null ? `Execution not found: ${executionId}` : `Execution is not running: ${executionId} is ${state}`,
    );
    this.name = 'ExecutionStateError';
  }
}

/** How long the API waits for Redis to take a run-now before it gives the run up (and answers 503). */
const ENQUEUE_DEADLINE_MS = 5000;
/** How long a write waits for Redis to publish its entry before it goes on without. */
const FEED_DEADLINE_MS = 1000;

/**
 * The only code that writes execution state. Each method is one transition of the table in
 * @tickwork/domain: an entry appended to the execution's ledger under the slot of the state it leaves (so
 * the store admits one writer per slot, on MongoDB and FerretDB alike), then its follow-ups — the run's
 * queue entry, the end's metrics and failure notice. Store writes are batched across concurrent callers
 * (BatchedInserts); a scheduled fire costs two (its record, its end) and reads nothing.
 */
export class RunLedger {
  private readonly delivery: Delivery;
  private readonly clock: () => number;

  constructor(private readonly ctx: LedgerContext) {
    this.delivery = ctx.delivery ?? deliverOnce;
    this.clock = ctx.clock ?? Date.now;
  }

  // ---- a worker's side ----------------------------------------------------------------------------------

  /**
   * Records a job's fire once, whichever worker (or how many) it was delivered to: taken by this worker
   * (running, its lease in the same write) unless `refusal` says why not (then recorded as `scheduled
   * error`); `duplicate` when the fire was recorded already.
   */
  async recordFire(job: JobSummary, fireMs: number, taskId: string, refusal: Refusal | null): Promise<FireResult> {
    const host = this.worker();
    const now = this.clock();
    const record = { execution_id: fireExecutionId(job.job_id, fireMs), job, scheduled_time: fireMs };
    if (refusal) {
      const entry = recordedEntry({ ...record, state: ExecutionState.scheduledError, ...refusal }, now, newId());
      if (!(await this.write('recording a refused fire', entry))) return { duplicate: true };
      this.reportEnd(entry, job, { state: ExecutionState.scheduledError, ...refusal }, '', -1);
      return { refused: refusal };
    }
    const entry = recordedEntry(
      { ...record, state: ExecutionState.running, holder: { ...this.holderOf(host), task_id: taskId } },
      now,
      newId(),
    );
    if (!(await this.take(host, 'recording a fire', entry))) return { duplicate: true };
    return { taken: { ...record, attempt: 1, started: now, fired: true } };
  }

  /** Takes a waiting run (a run-now, a retry) for this worker; null when another took it, or it was given up. */
  async claim(run: RecordedRunData, taskId: string): Promise<Attempt | null> {
    const host = this.worker();
    const now = this.clock();
    const position = { ...this.positionOf(run), state: ExecutionState.scheduled };
    const entry = stepEntry(
      position,
      ExecutionEvent.claimed,
      ExecutionState.running,
      { ...this.holderOf(host), task_id: taskId },
      now,
      newId(),
    );
    if (!(await this.take(host, 'recording a run start', entry))) return null;
    return { ...this.positionOf(run), job: run.job, started: now, fired: false };
  }

  /** A taken run turned away before it started (unknown class, role, no instance slot). */
  async refuse(attempt: Attempt, refusal: Refusal): Promise<void> {
    const host = this.worker();
    const entry = this.step(attempt, ExecutionState.running, ExecutionEvent.refused, ExecutionState.scheduledError, {
      ...refusal,
    });
    if (await this.write('recording a refused run', entry)) {
      this.reportEnd(entry, attempt.job, { state: ExecutionState.scheduledError, ...refusal }, host.hostname, host.pid);
    }
    host.leases.release(attempt.execution_id);
  }

  /**
   * Writes how a run this worker held ended. A failure of a job with retries left is retried: the
   * execution waits for its next attempt, queued after the backoff. When the slot is taken already, the
   * winner is read: a stop asked meanwhile gets its `stopped` from here; an end written for a lost worker
   * stands, and this one is fenced out.
   */
  async finish(attempt: Attempt, outcome: Outcome, output: string): Promise<FinishResult> {
    const host = this.worker();
    try {
      return await this.recordEnd(attempt, outcome, output);
    } catch (err) {
      // The store refused the end itself (not an outage, which Delivery waits out): record that it failed,
      // and why, rather than leave it running until the reaper takes its worker for lost.
      if (Store.isUnavailable(err)) throw err;
      const why = `the run's end could not be recorded: ${(err as Error).message}`;
      this.ctx.log.error({ err, execution_id: attempt.execution_id }, why);
      return this.recordEnd(attempt, { state: ExecutionState.failed, description: why, result: '' }, '', false);
    } finally {
      host.leases.release(attempt.execution_id);
    }
  }

  private async recordEnd(attempt: Attempt, outcome: Outcome, output: string, mayRetry = true): Promise<FinishResult> {
    const host = this.worker();
    const now = this.clock();
    const timing: RunTiming = {
      durationMs: now - attempt.started,
      latenessMs: attempt.fired ? attempt.started - attempt.scheduled_time : undefined,
    };
    const runAfter =
      mayRetry && outcome.state === ExecutionState.failed ? retryAt(attempt.job, attempt.attempt, now) : null;
    if (runAfter !== null) {
      const entry = this.step(attempt, ExecutionState.running, ExecutionEvent.retried, ExecutionState.scheduled, {
        description: outcome.description,
        result: outcome.result,
        output,
        run_after: runAfter,
      });
      if (await this.write('scheduling a retry', entry)) {
        this.ctx.log.info({ execution_id: attempt.execution_id, run_after: runAfter }, 'run failed; retry queued');
        await this.enqueueNext(attempt, runAfter - now);
        return 'retried';
      }
    } else {
      const entry = this.step(attempt, ExecutionState.running, ExecutionEvent.ended, outcome.state, {
        description: outcome.description,
        result: outcome.result,
        output,
      });
      const waiting = await this.waitingOn(attempt.job.job_id, outcome.state);
      if (await this.write(`recording ${outcome.state}`, entry, waiting.mark ? attempt.job.job_id : undefined)) {
        this.reportEnd(entry, attempt.job, outcome, host.hostname, host.pid, timing);
        await this.runChained(attempt.job.job_id, entry, waiting.jobs);
        return 'ended';
      }
    }
    return this.settleConflict(attempt, outcome, output, timing);
  }

  /** Our end lost its slot: a stop asked first is completed here; anything else won fairly. */
  private async settleConflict(
    attempt: Attempt,
    outcome: Outcome,
    output: string,
    timing: RunTiming,
  ): Promise<FinishResult> {
    const host = this.worker();
    const now = await this.delivery.run('reading a contested run', () => this.get(attempt.execution_id));
    if (now?.state === ExecutionState.stopping && now.attempt === attempt.attempt) {
      const stopped =
        outcome.state === ExecutionState.stopped ? outcome : { ...outcome, description: 'stopped on request' };
      const entry = this.step(attempt, ExecutionState.stopping, ExecutionEvent.stopped, ExecutionState.stopped, {
        description: stopped.description,
        result: outcome.state === ExecutionState.stopped ? '' : outcome.result,
        output,
      });
      const waiting = await this.waitingOn(attempt.job.job_id, ExecutionState.stopped);
      if (await this.write('recording stopped', entry, waiting.mark ? attempt.job.job_id : undefined)) {
        await this.runChained(attempt.job.job_id, entry, waiting.jobs);
        this.reportEnd(
          entry,
          attempt.job,
          { ...stopped, state: ExecutionState.stopped },
          host.hostname,
          host.pid,
          timing,
        );
        return 'stopped';
      }
    }
    this.ctx.log.warn(
      { execution_id: attempt.execution_id, state: now?.state },
      'the run was closed out meanwhile (its worker was taken for lost); this end is not recorded',
    );
    return 'fenced';
  }

  // ---- the API's side -----------------------------------------------------------------------------------

  /**
   * A run-now: recorded waiting, then queued. If Redis does not take the queue entry in time the run is
   * given up (recorded as `scheduled error`, saying why) and this throws: the client hears of it, and an
   * entry that lands late finds its run taken and does nothing.
   */
  async queueRunNow(job: JobSummary): Promise<string> {
    const now = this.clock();
    const executionId = newId();
    const entry = recordedEntry(
      { execution_id: executionId, job, scheduled_time: now, state: ExecutionState.scheduled, run_after: now },
      now,
      newId(),
    );
    if (!(await this.write('recording a run-now', entry))) throw new Error(`execution id ${executionId} taken`);
    const data: RecordedRunData = {
      job_id: job.job_id,
      execution_id: executionId,
      attempt: 1,
      scheduled_time: now,
      job,
    };
    try {
      await withDeadline(
        enqueueRecordedRun(this.ctx.runQueues, data),
        this.ctx.enqueueDeadlineMs ?? ENQUEUE_DEADLINE_MS,
        'queueing the run',
      );
    } catch (err) {
      const reason = `not queued: ${(err as Error).message}`;
      const given = this.step(data, ExecutionState.scheduled, ExecutionEvent.refused, ExecutionState.scheduledError, {
        description: reason,
        result: '',
      });
      await this.write('giving up a run-now', given).catch(() => undefined);
      throw err;
    }
    return executionId;
  }

  /**
   * A fire no live worker could take (none has all of the job's worker tags) within its misfire grace:
   * recorded as `scheduled error` saying why. Its record's id is the fire's, as a worker's would be, so a
   * fire recorded here and taken by a worker after all (one came up meanwhile) is recorded once. False
   * when the fire was recorded already.
   */
  async recordUnservedFire(job: JobSummary, fireMs: number, refusal: Refusal): Promise<boolean> {
    const record = { execution_id: fireExecutionId(job.job_id, fireMs), job, scheduled_time: fireMs };
    const entry = recordedEntry({ ...record, state: ExecutionState.scheduledError, ...refusal }, this.clock(), newId());
    if (!(await this.write('recording an unserved fire', entry))) return false;
    this.reportEnd(entry, job, { state: ExecutionState.scheduledError, ...refusal }, '', -1);
    return true;
  }

  /**
   * A waiting run (a run-now, a retry) no live worker could take: given up as `scheduled error`, unless a
   * worker claimed it meanwhile (then false). The same transition a worker's claim is, so one of them wins.
   */
  async giveUpUnserved(run: RecordedRunData, refusal: Refusal): Promise<boolean> {
    const entry = this.step(run, ExecutionState.scheduled, ExecutionEvent.refused, ExecutionState.scheduledError, {
      ...refusal,
    });
    if (!(await this.write('giving up an unserved run', entry))) return false;
    this.reportEnd(entry, run.job, { state: ExecutionState.scheduledError, ...refusal }, '', -1);
    return true;
  }

  /**
   * Asks a running run to stop: the stop takes the run's end slot (so a stop and the run's own end cannot
   * both win) and its worker is told; the worker kills the run and records `stopped`. Throws
   * ExecutionStateError when the run is not running (any more).
   */
  async requestStop(executionId: string, by: string): Promise<Execution> {
    const entries = await this.entriesOf(executionId);
    const now = foldExecution(entries);
    if (!now || now.state !== ExecutionState.running) throw new ExecutionStateError(executionId, now?.state ?? null);
    const entry = this.step(now, ExecutionState.running, ExecutionEvent.stopRequested, ExecutionState.stopping, { by });
    if (!(await this.write('recording a stop request', entry))) {
      const after = await this.get(executionId);
      throw new ExecutionStateError(executionId, after?.state ?? null);
    }
    if (this.ctx.control) await this.ctx.control.channel.requestStop(this.ctx.control.publisher, executionId);
    return foldExecution([...entries, entry]) ?? now;
  }

  /**
   * Closes out a run whose worker was lost: `failed` naming it, or retried when the job has retries left,
   * or `stopped` when a stop had been asked. False when the run's end was written meanwhile (the worker
   * came back in time, or another reaper got there first).
   */
  async closeOutLost(execution: Execution, why: string): Promise<boolean> {
    const now = this.clock();
    if (execution.state === ExecutionState.stopping) {
      const entry = this.step(execution, ExecutionState.stopping, ExecutionEvent.lost, ExecutionState.stopped, {
        description: why,
      });
      const waiting = await this.waitingOn(execution.job.job_id, ExecutionState.stopped);
      if (!(await this.write('closing out a lost stop', entry, waiting.mark ? execution.job.job_id : undefined))) {
        return false;
      }
      await this.runChained(execution.job.job_id, entry, waiting.jobs);
      this.reportEnd(
        entry,
        execution.job,
        { state: ExecutionState.stopped, description: why, result: '' },
        execution.hostname,
        execution.pid,
      );
      return true;
    }
    const runAfter = retryAt(execution.job, execution.attempt, now);
    if (runAfter !== null) {
      const entry = this.step(execution, ExecutionState.running, ExecutionEvent.lost, ExecutionState.scheduled, {
        description: why,
        run_after: runAfter,
      });
      if (!(await this.write('retrying a lost run', entry))) return false;
      await this.enqueueNext(execution, runAfter - now);
      return true;
    }
    const entry = this.step(execution, ExecutionState.running, ExecutionEvent.lost, ExecutionState.failed, {
      description: why,
    });
    const waiting = await this.waitingOn(execution.job.job_id, ExecutionState.failed);
    if (!(await this.write('closing out a lost run', entry, waiting.mark ? execution.job.job_id : undefined))) {
      return false;
    }
    await this.runChained(execution.job.job_id, entry, waiting.jobs);
    this.reportEnd(
      entry,
      execution.job,
      { state: ExecutionState.failed, description: why, result: '' },
      execution.hostname,
      execution.pid,
    );
    return true;
  }

  /** Queues a waiting execution's run again (its queue entry was lost); a no-op when the entry exists. */
  async requeue(execution: Execution): Promise<void> {
    await enqueueRecordedRun(this.ctx.runQueues, this.queued(execution), (execution.run_after ?? 0) - this.clock());
  }

  // ---- chains (a job's `after`) -------------------------------------------------------------------------

  /**
   * The jobs that wait for `jobId`'s executions ending in `state`: one Redis read, and no store read, so
   * the end of a job nobody waits for costs the store nothing more. When Redis cannot say, the end is
   * marked all the same and the API's catch-up (ChainCatchUp) decides later.
   */
  async waitingOn(jobId: string, state: ExecutionState): Promise<Waiting> {
    const chains = this.ctx.chains;
    if (!chains) return { jobs: [], mark: false };
    try {
      const all = await withDeadline(chains.book.waitingFor(jobId), FEED_DEADLINE_MS, 'reading the jobs waiting');
      const jobs = all.filter((c) => c.job.after && chainTriggered(c.job.after.on, state));
      return { jobs, mark: all.length > 0 };
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message, job_id: jobId }, 'jobs waiting for this one not known');
      return { jobs: [], mark: true };
    }
  }

  /**
   * Runs each job waiting for an upstream execution that ended as `end` says: recorded waiting under an id
   * derived from the job and the upstream execution (chainExecutionId), so it is recorded once however
   * often this is tried — by the worker that wrote the end, or the API's catch-up — then queued under a
   * queue id derived from it. Never throws: the upstream's end is written already, and the catch-up
   * retries what failed here.
   */
  async runChained(upstreamJobId: string, end: LedgerEntry, waiting: readonly ChainedJob[]): Promise<ChainedRun[]> {
    return Promise.all(
      waiting.map((chained) =>
        this.runAfter(upstreamJobId, end, chained).catch((err) => {
          this.ctx.log.warn(
            { err, job_id: chained.job.job_id, upstream_execution_id: end.execution_id },
            'a chained run was not started here; the catch-up retries it',
          );
          return 'skipped' as const;
        }),
      ),
    );
  }

  private async runAfter(upstreamJobId: string, end: LedgerEntry, chained: ChainedJob): Promise<ChainedRun> {
    const job = await this.chainedDefinition(upstreamJobId, end.state, chained);
    if (!job) return 'skipped';
    const now = this.clock();
    const executionId = chainExecutionId(job.job_id, end.execution_id);
    const entry = recordedEntry(
      {
        execution_id: executionId,
        job,
        scheduled_time: now,
        state: ExecutionState.scheduled,
        run_after: now,
        description: `after execution ${end.execution_id} of job ${upstreamJobId} (${end.state})`,
      },
      now,
      newId(),
    );
    if (!(await this.write('recording a chained run', entry))) return 'exists';
    await enqueueRecordedRun(this.ctx.runQueues, {
      job_id: job.job_id,
      execution_id: executionId,
      attempt: 1,
      scheduled_time: now,
      job,
    });
    return 'queued';
  }

  /**
   * The waiting job as it is now: the copy the chain book holds while that is still its current revision
   * (one Redis read), else the store's; null when it was deleted, paused or no longer waits for this end.
   */
  private async chainedDefinition(upstreamJobId: string, state: string, chained: ChainedJob) {
    const chains = this.ctx.chains;
    if (!chains) return null;
    if ((await chains.revisions.revisionOf(chained.job.job_id)) === chained.rev) return chained.job;
    const stored = await this.delivery.run('reading a chained job', () => this.ctx.store.jobs.get(chained.job.job_id));
    if (!stored || stored.paused || stored.after?.job_id !== upstreamJobId) return null;
    return chainTriggered(stored.after.on, state) ? runSnapshot(stored) : null;
  }

  // ---- reads --------------------------------------------------------------------------------------------

  async entriesOf(executionId: string): Promise<LedgerEntry[]> {
    return this.ctx.store.ledger.entriesOf(executionId);
  }

  /** The execution as its entries add up to, output included; null when there is none. */
  async get(executionId: string): Promise<Execution | null> {
    return foldExecution(await this.entriesOf(executionId));
  }

  // ---- inside -------------------------------------------------------------------------------------------

  private worker(): RunHost {
    if (!this.ctx.host) throw new Error('only a worker runs what it takes');
    return this.ctx.host;
  }

  private holderOf(host: RunHost) {
    return { holder: host.holder, hostname: host.hostname, pid: host.pid };
  }

  private positionOf(run: { execution_id: string; scheduled_time: number; attempt: number }) {
    return { execution_id: run.execution_id, scheduled_time: run.scheduled_time, attempt: run.attempt };
  }

  private step(
    at: Omit<ExecutionPosition, 'state'>,
    from: ExecutionState,
    event: Parameters<typeof stepEntry>[1],
    to: ExecutionState,
    fields: StepFields,
  ) {
    return stepEntry({ ...this.positionOf(at), state: from }, event, to, fields, this.clock(), newId());
  }

  private queued(execution: Execution): RecordedRunData {
    return {
      job_id: execution.job.job_id,
      execution_id: execution.execution_id,
      attempt: execution.attempt,
      scheduled_time: execution.scheduled_time,
      job: execution.job,
    };
  }

  /** A write that takes a run: its lease rides in the same batch. */
  private async take(host: RunHost, what: string, entry: LedgerEntry): Promise<boolean> {
    host.leases.take(entry.id, entry.execution_id);
    let taken = false;
    try {
      taken = await this.write(what, entry);
      return taken;
    } finally {
      host.leases.took(entry.id, taken);
    }
  }

  /**
   * Appends an entry; true when it won its slot. A write whose answer was lost (the store went away
   * mid-write) and then found its slot taken is read back: the entry there may be its own.
   */
  private async write(what: string, entry: LedgerEntry, chainedJob?: string): Promise<boolean> {
    let uncertain = false;
    const outcome = await this.delivery.run(what, async () => {
      try {
        return await this.ctx.store.ledger.append(entry, chainedJob);
      } catch (err) {
        if (Store.isUnavailable(err)) uncertain = true;
        throw err;
      }
    });
    let won = outcome === 'inserted';
    if (!won && uncertain) {
      const stored = await this.delivery.run(what, () => this.ctx.store.ledger.entry(entry.id));
      won = stored?.writer === entry.writer;
    }
    if (won) await this.publish(entry);
    return won;
  }

  /**
   * Tells the API processes' execution windows. Best effort and bounded: a window that misses it re-reads
   * the run from the store once it looks stale (see ExecutionWindow).
   */
  private async publish(entry: LedgerEntry): Promise<void> {
    if (!this.ctx.feed) return;
    await withDeadline(this.ctx.feed.publish(entry), FEED_DEADLINE_MS, 'publishing a ledger entry').catch((err) =>
      this.ctx.log.warn(
        { err: (err as Error).message, execution_id: entry.execution_id },
        'ledger entry not published',
      ),
    );
  }

  /** Queues the next attempt. Until Redis takes it the worker keeps vouching for the run (its lease). */
  private async enqueueNext(attempt: Omit<Attempt, 'started' | 'fired'>, delayMs: number): Promise<void> {
    await enqueueRecordedRun(
      this.ctx.runQueues,
      {
        job_id: attempt.job.job_id,
        execution_id: attempt.execution_id,
        attempt: attempt.attempt + 1,
        scheduled_time: attempt.scheduled_time,
        job: attempt.job,
      },
      delayMs,
    );
  }

  /** Counts and announces a recorded end without waiting on it: nothing waits for this. */
  private reportEnd(
    entry: LedgerEntry,
    job: JobSummary,
    outcome: Outcome,
    hostname: string,
    pid: number,
    timing: RunTiming = {},
  ): void {
    this.ctx.ends
      .report(
        {
          execution_id: entry.execution_id,
          job,
          scheduled_time: new Date(entry.scheduled_time),
          hostname,
          pid,
          state: outcome.state,
          description: outcome.description,
        },
        timing,
      )
      .catch((err) => this.ctx.log.warn({ err, execution_id: entry.execution_id }, 'run end not counted or announced'));
  }
}

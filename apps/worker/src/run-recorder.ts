import {
  classRoleRefusal,
  ExecutionState,
  type JobSummary,
  newId,
  pythonJsonDumps,
  retryStep,
  triggerFor,
} from '@tickwork/domain';
import {
  BACKFILL_RUN,
  type BackfillRunData,
  enqueueBackfills,
  enqueueRecordedRun,
  type InstanceLimiter,
  MANUAL_RUN,
  RETRY_RUN,
  type RecordedRunData,
  type RunEndReporter,
  type RunOutputStream,
  type RunTiming,
  SCHEDULED_RUN,
  type ScheduledRunData,
  schedulerIdFor,
} from '@tickwork/queue';
import type { JobClassRegistry } from '@tickwork/sdk';
import type { Store } from '@tickwork/store';
import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { OutageRetry } from './outage-retry.js';
import type { RunningRuns } from './running-runs.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { SerialWrites } from './serial-writes.js';
import { StreamedOutput } from './streamed-output.js';

export interface RunHost {
  hostname: string;
  pid: number;
}

export interface RunPolicy {
  /** How long a running attempt's lease lasts before the worker must renew it. */
  leaseMs: number;
  /** Default for jobs without misfire_grace_sec. */
  misfireGraceSec: number;
  /** Default for jobs without max_instances. */
  maxInstances: number;
  /** JOB_COALESCE: fires skipped while a late one waited collapse into it (true), or are each recorded. */
  coalesce: boolean;
}

/** At most this many skipped fires are backfilled per late pickup (the most recent ones). */
const MAX_BACKFILL = 1000;

/** What the recorder works with: where runs are recorded, run, limited and re-queued. */
export interface RunRecorderParts {
  store: Store;
  registry: JobClassRegistry;
  host: RunHost;
  policy: RunPolicy;
  running: RunningRuns;
  limiter: InstanceLimiter;
  sandbox: Sandbox;
  writes: SerialWrites;
  outage: OutageRetry;
  runQueue: Queue;
  /** Counts each recorded end in the fleet's metrics and announces failures. */
  ends: RunEndReporter;
  /** Where a running job's output is streamed for the API. */
  outputs: RunOutputStream;
  logger: Logger;
}

/** Why a fire is recorded without being run. */
interface Refusal {
  description: string;
  result: string;
}

/** One attempt at running a recorded execution. */
interface Attempt {
  executionId: string;
  token: string;
  definition: JobSummary;
  scheduledTime: Date;
  /** For a fire (not a run-now or a re-run): how late it started. */
  fired: boolean;
  /** How many earlier attempts of this fire failed and were retried. */
  earlierAttempts: number;
  log: Logger;
}

/**
 * Turns one BullMQ job into one execution record and at most one run. A scheduled fire is recorded under
 * its unique fire key — already `running` when it may run, so a duplicate delivery is refused by the index
 * in the same write — or as `scheduled error` when it may not (missed its grace, unknown class, too many
 * instances). The run happens in the sandbox, and its end is written fenced by the attempt token. A failed
 * run of a job with `retries` goes back to `scheduled` and is queued again after its backoff.
 */
export class RunRecorder {
  constructor(private readonly parts: RunRecorderParts) {}

  async process(job: Job, signal?: AbortSignal): Promise<void> {
    if (job.name === SCHEDULED_RUN) {
      const { data, opts } = job as Job<ScheduledRunData>;
      // BullMQ's intended fire time for this scheduler iteration.
      return this.processFire(data.job_id, opts.prevMillis ?? job.timestamp, String(job.id ?? ''), false, signal);
    }
    if (job.name === BACKFILL_RUN) {
      const { data } = job as Job<BackfillRunData>;
      return this.processFire(data.job_id, data.fire_ms, String(job.id ?? ''), true, signal);
    }
    if (job.name === MANUAL_RUN || job.name === RETRY_RUN) {
      return this.processRecorded(job as Job<RecordedRunData>, signal);
    }
    this.parts.logger.warn({ bullmq_job: job.id, name: job.name }, 'ignoring a queue entry of unknown kind');
  }

  private async processFire(
    jobId: string,
    fireMs: number,
    taskId: string,
    backfill: boolean,
    signal?: AbortSignal,
  ): Promise<void> {
    const { store, outage, policy, host, limiter } = this.parts;
    const definition = await outage.run('reading a fired job', () => store.jobs.get(jobId));
    if (!definition || definition.paused) {
      this.parts.logger.info({ job_id: jobId }, 'fire of a deleted or paused job skipped');
      return;
    }
    const fire = {
      execution_id: newId(),
      job: definition,
      fire_key: `${jobId}@${fireMs}`,
      scheduled_time: new Date(fireMs),
      task_id: taskId,
    };
    const log = this.parts.logger.child({ job_id: jobId, execution_id: fire.execution_id });

    if (!policy.coalesce && !backfill) {
      // Best effort: failing to queue the skipped fires must not cost this one.
      await this.backfillSkipped(definition, fireMs, log).catch((err) =>
        log.warn({ err }, 'queueing the fires skipped while this one waited failed'),
      );
    }
    // A fire picked up later than the grace is recorded, not run (APScheduler's misfire_grace_time).
    const lateMs = Date.now() - fireMs;
    const graceSec = definition.misfire_grace_sec ?? policy.misfireGraceSec;
    const refusal: Refusal | null =
      lateMs > graceSec * 1000
        ? {
            description: `Run time of job was missed by ${Math.round(lateMs / 1000)} s (misfire grace ${graceSec} s)`,
            result: '',
          }
        : (this.classRefusal(definition) ?? (await this.acquireSlot(definition, fire.execution_id)));
    if (refusal) {
      const recorded = await this.insertFire('recording a refused fire', {
        ...fire,
        state: ExecutionState.scheduledError,
        ...refusal,
      });
      log.warn(refusal.description);
      if (recorded) {
        this.reportEnd(
          { ...fire, hostname: '', pid: -1, state: ExecutionState.scheduledError, description: refusal.description },
          {},
          log,
        );
      }
      return;
    }
    try {
      const token = newId();
      const recorded = await this.insertFire('recording a fire', {
        ...fire,
        state: ExecutionState.running,
        ...host,
        attempt: token,
        lease_until: new Date(Date.now() + policy.leaseMs),
      });
      if (!recorded) {
        log.info({ fire: fireMs }, 'fire already recorded elsewhere; not run again');
        return;
      }
      await this.run(
        {
          executionId: fire.execution_id,
          token,
          definition,
          scheduledTime: fire.scheduled_time,
          fired: true,
          earlierAttempts: 0,
          log,
        },
        signal,
      );
    } finally {
      await limiter.release(jobId, fire.execution_id);
    }
  }

  /**
   * BullMQ computes a scheduler's next fire when it picks one up, from that moment: fires due while this one
   * waited were skipped. Without coalescing they are queued here, each to be recorded once (and run within
   * its grace) like any fire: those after this one and before the scheduler's next.
   */
  private async backfillSkipped(definition: JobSummary, fireMs: number, log: Logger): Promise<void> {
    const trigger = triggerFor(definition);
    const first = trigger.nextFireTime(fireMs + 1);
    if (first === null || first > Date.now()) return;
    const scheduler = await this.parts.runQueue.getJobScheduler(schedulerIdFor(definition.job_id));
    const next = scheduler?.next;
    if (!next) return;
    const skipped: number[] = [];
    for (let at: number | null = first; at !== null && at < next; at = trigger.nextFireTime(at + 1)) {
      skipped.push(at);
      if (skipped.length > MAX_BACKFILL) skipped.shift();
    }
    if (skipped.length === 0) return;
    await enqueueBackfills(
      this.parts.runQueue,
      skipped.map((at) => ({ job_id: definition.job_id, fire_ms: at })),
    );
    log.info({ fires: skipped.length }, 'fires skipped while this one waited are queued (JOB_COALESCE=false)');
  }

  /**
   * Inserts a fire's record unless the fire has one. A write lost with the connection may have landed: a
   * duplicate key under our own execution id is our record, not another worker's.
   */
  private async insertFire(what: string, fire: Parameters<Store['executions']['insertOnce']>[0]): Promise<boolean> {
    const { store, outage } = this.parts;
    return outage.run(what, async () => {
      if (await store.executions.insertOnce(fire)) return true;
      return (await store.executions.get(fire.execution_id)) !== null;
    });
  }

  /**
   * A run-now or a re-run: the record exists, `scheduled`; it runs the job as the record has it. One write
   * takes the run and reads the record back; a run then refused (unknown class, no instance slot) is moved
   * on from `running` under the same attempt token.
   */
  private async processRecorded(job: Job<RecordedRunData>, signal?: AbortSignal): Promise<void> {
    const { store, outage, policy, host, limiter } = this.parts;
    const token = newId();
    const taskId = String(job.id ?? '');
    const record = await outage.run('recording a run start', () =>
      store.executions.claim(job.data.execution_id, {
        state: ExecutionState.running,
        ...host,
        task_id: taskId,
        attempt: token,
        lease_until: new Date(Date.now() + policy.leaseMs),
        started_time: new Date(),
      }),
    );
    if (!record) return;
    const definition = record.job;
    const log = this.parts.logger.child({ job_id: definition.job_id, execution_id: record._id });
    const refusal = this.classRefusal(definition) ?? (await this.acquireSlot(definition, record._id));
    if (refusal) {
      const recorded = await outage.run('recording a refused run', () =>
        store.executions.transition(
          record._id,
          [ExecutionState.running],
          { state: ExecutionState.scheduledError, ...refusal, lease_until: null, started_time: null },
          token,
        ),
      );
      log.warn(refusal.description);
      if (recorded) {
        this.reportEnd(
          { ...record, execution_id: record._id, ...host, state: ExecutionState.scheduledError, ...refusal },
          {},
          log,
        );
      }
      return;
    }
    try {
      const earlierAttempts = record.attempts?.length ?? 0;
      await this.run(
        {
          executionId: record._id,
          token,
          definition,
          scheduledTime: record.scheduled_time,
          fired: false,
          earlierAttempts,
          log,
        },
        signal,
      );
    } finally {
      await limiter.release(definition.job_id, record._id);
    }
  }

  /**
   * Resolved here too, so an unknown class is a `scheduled error` without starting a process; so is a job
   * whose author's role is below what its class needs here (this worker knows the class, the API may not).
   */
  private classRefusal(definition: JobSummary): Refusal | null {
    try {
      const classRole = this.parts.registry.requiredRole(definition.job_class_string);
      const refused = classRoleRefusal(definition.job_class_string, classRole, definition.author_role);
      return refused ? { description: refused, result: '' } : null;
    } catch (err) {
      const error = err as Error;
      return { description: error.message, result: error.stack ?? error.message };
    }
  }

  /** Takes one of the job's instance slots across the fleet, or says why not. */
  private async acquireSlot(definition: JobSummary, executionId: string): Promise<Refusal | null> {
    const { limiter, policy } = this.parts;
    const maxInstances = definition.max_instances ?? policy.maxInstances;
    if (await limiter.acquire(definition.job_id, executionId, maxInstances, policy.leaseMs)) return null;
    return {
      description: `Execution of job skipped: maximum number of running instances reached (${maxInstances})`,
      result: '',
    };
  }

  private async run(attempt: Attempt, signal?: AbortSignal): Promise<void> {
    const { running, sandbox } = this.parts;
    const { executionId, definition, log } = attempt;
    log.info({ job_class_string: definition.job_class_string }, 'run started');
    const startedTime = new Date();
    const run = running.start(definition.job_id, executionId, attempt.token);
    signal?.addEventListener('abort', () => running.abort(executionId, 'stop'), { once: true });
    const timer = definition.timeout
      ? setTimeout(() => running.abort(executionId, 'timeout'), definition.timeout * 1000)
      : undefined;
    const output = new StreamedOutput(executionId, this.parts.outputs, log);
    try {
      const emit = (level: 'info' | 'warn' | 'error') => (m: string) => {
        log[level](m);
        output.add(level, m);
      };
      // The job's outcome first; recording it comes after, so a failed write is never taken for the job's.
      let outcome: { state: ExecutionState; description?: string; result?: string };
      try {
        const value = await sandbox.run(
          {
            jobClassString: definition.job_class_string,
            jobId: definition.job_id,
            executionId,
            args: definition.pub_args,
          },
          run.controller.signal,
          { info: emit('info'), warn: emit('warn'), error: emit('error') },
        );
        outcome = { state: ExecutionState.succeeded, result: pythonJsonDumps(value) };
        log.info('run succeeded');
      } catch (err) {
        if (run.reason === 'timeout') {
          outcome = { state: ExecutionState.timeout, description: `timed out after ${definition.timeout} s` };
          log.warn('run timed out');
        } else if (run.reason === 'stop' || run.reason === 'shutdown') {
          const description = run.reason === 'stop' ? 'stopped on request' : 'stopped: the worker shut down';
          outcome = { state: ExecutionState.stopped, description };
          log.info(description);
        } else {
          const error = err instanceof Error ? err : new Error(String(err));
          outcome = { state: ExecutionState.failed, description: error.message, result: error.stack ?? error.message };
          log.warn({ err: error }, 'run failed');
        }
      } finally {
        clearTimeout(timer);
      }
      const failed = outcome.state === ExecutionState.failed;
      if (failed && (await this.retry(attempt, outcome.description ?? '', outcome.result ?? '', startedTime))) {
        // The next attempt streams its own output; the record keeps the last attempt's.
        await output.close();
        output.discard();
      } else {
        await this.finish(attempt, startedTime, output, outcome);
      }
    } finally {
      running.done(executionId);
    }
  }

  /**
   * Writes the attempt's final state. It leaves the renewal list first and then writes in turn with the
   * renewals (see SerialWrites); during a MongoDB outage the write is kept and delivered after it. The run's
   * output goes in the same write (no extra one per run); its streamed copy in Redis is dropped after.
   */
  private async finish(
    attempt: Attempt,
    startedTime: Date,
    output: StreamedOutput,
    update: { state: ExecutionState; description?: string; result?: string },
  ): Promise<void> {
    const { running, writes, outage, store, host } = this.parts;
    running.finishing(attempt.executionId);
    const text = await output.close();
    const written = await writes.run(() =>
      outage.run(`recording ${update.state}`, () =>
        store.executions.transition(
          attempt.executionId,
          [ExecutionState.running, ExecutionState.stopping],
          { ...update, output: text, lease_until: null },
          attempt.token,
        ),
      ),
    );
    output.discard();
    // Fenced out: whoever wrote the end meanwhile (a stop, the reaper) announces it.
    if (written) {
      const started = startedTime.getTime();
      this.reportEnd(
        {
          execution_id: attempt.executionId,
          job: attempt.definition,
          scheduled_time: attempt.scheduledTime,
          ...host,
          state: update.state,
          description: update.description ?? '',
        },
        {
          durationMs: Date.now() - started,
          latenessMs: attempt.fired ? started - attempt.scheduledTime.getTime() : undefined,
        },
        attempt.log,
      );
    }
  }

  /** Counts and announces a recorded end without waiting on it: nothing waits for this. */
  private reportEnd(ended: Parameters<RunEndReporter['report']>[0], timing: RunTiming, log: Logger): void {
    this.parts.ends.report(ended, timing).catch((err) => log.warn({ err }, 'run end not counted or announced'));
  }

  /** A failed attempt of a job with retries left goes back to `scheduled`, queued after its backoff. */
  private async retry(attempt: Attempt, description: string, result: string, startedTime: Date): Promise<boolean> {
    const { running, writes, outage, store, host, runQueue } = this.parts;
    const { definition, executionId } = attempt;
    const step = retryStep(definition, attempt.earlierAttempts, {
      ...host,
      description,
      result,
      started_time: startedTime,
    });
    if (!step) return false;
    running.finishing(executionId);
    const rescheduled = await writes.run(() =>
      outage.run('scheduling a retry', () =>
        store.executions.scheduleRetry(executionId, attempt.token, step.ended, step.description, step.runAfter),
      ),
    );
    // Not rescheduled: a stop was asked (the final write records it) or the reaper got there first.
    if (!rescheduled) return false;
    attempt.log.info({ retry: step.number, delay_ms: step.delayMs }, step.description);
    // If this enqueue is lost (Redis down), the reaper's sweep of overdue `scheduled` records queues it.
    await enqueueRecordedRun(
      runQueue,
      { job_id: definition.job_id, execution_id: executionId },
      step.number,
      step.delayMs,
    ).catch((err) => attempt.log.warn({ err }, 'queueing the retry failed; the overdue sweep will queue it'));
    return true;
  }
}

import { ExecutionState, type JobSummary, newId, pythonJsonDumps } from '@tickwork/domain';
import {
  type InstanceLimiter,
  MANUAL_RUN,
  type ManualRunData,
  SCHEDULED_RUN,
  type ScheduledRunData,
} from '@tickwork/queue';
import type { JobClassRegistry } from '@tickwork/sdk';
import type { Store } from '@tickwork/store';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { RunningRuns } from './running-runs.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { SerialWrites } from './serial-writes.js';

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
}

/** Why a fire is recorded without being run. */
interface Refusal {
  description: string;
  result: string;
}

/**
 * Turns one BullMQ job into one execution record and at most one run. A scheduled fire is recorded under
 * its unique fire key — already `running` when it may run, so a duplicate delivery is refused by the index
 * in the same write — or as `scheduled error` when it may not (missed its grace, unknown class, too many
 * instances). The run happens in the sandbox, and its end is written fenced by the attempt token.
 */
export class RunRecorder {
  constructor(
    private readonly store: Store,
    private readonly registry: JobClassRegistry,
    private readonly host: RunHost,
    private readonly policy: RunPolicy,
    private readonly running: RunningRuns,
    private readonly limiter: InstanceLimiter,
    private readonly sandbox: Sandbox,
    private readonly writes: SerialWrites,
    private readonly logger: Logger,
  ) {}

  async process(job: Job, signal?: AbortSignal): Promise<void> {
    if (job.name === SCHEDULED_RUN) return this.processScheduled(job as Job<ScheduledRunData>, signal);
    if (job.name === MANUAL_RUN) return this.processManual(job as Job<ManualRunData>, signal);
    this.logger.warn({ bullmq_job: job.id, name: job.name }, 'ignoring a queue entry of unknown kind');
  }

  private async processScheduled(job: Job<ScheduledRunData>, signal?: AbortSignal): Promise<void> {
    const jobId = job.data.job_id;
    // BullMQ's intended fire time for this scheduler iteration.
    const fireMs = job.opts.prevMillis ?? job.timestamp;
    const definition = await this.store.jobs.get(jobId);
    if (!definition || definition.paused) {
      this.logger.info({ job_id: jobId }, 'fire of a deleted or paused job skipped');
      return;
    }
    const fire = {
      execution_id: newId(),
      job: definition,
      fire_key: `${jobId}@${fireMs}`,
      scheduled_time: new Date(fireMs),
      task_id: String(job.id ?? ''),
    };
    const log = this.logger.child({ job_id: jobId, execution_id: fire.execution_id });

    // A fire picked up later than the grace is recorded, not run (APScheduler's misfire_grace_time).
    const lateMs = Date.now() - fireMs;
    const graceSec = definition.misfire_grace_sec ?? this.policy.misfireGraceSec;
    const refusal: Refusal | null =
      lateMs > graceSec * 1000
        ? {
            description: `Run time of job was missed by ${Math.round(lateMs / 1000)} s (misfire grace ${graceSec} s)`,
            result: '',
          }
        : (this.classRefusal(definition) ?? (await this.acquireSlot(definition, fire.execution_id)));
    if (refusal) {
      await this.store.executions.insertOnce({ ...fire, state: ExecutionState.scheduledError, ...refusal });
      log.warn(refusal.description);
      return;
    }
    try {
      const attempt = newId();
      const record = await this.store.executions.insertOnce({
        ...fire,
        state: ExecutionState.running,
        ...this.host,
        attempt,
        lease_until: new Date(Date.now() + this.policy.leaseMs),
      });
      if (!record) {
        log.info({ fire: fireMs }, 'fire already recorded elsewhere; not run again');
        return;
      }
      await this.run(fire.execution_id, attempt, definition, log, signal);
    } finally {
      await this.limiter.release(jobId, fire.execution_id);
    }
  }

  private async processManual(job: Job<ManualRunData>, signal?: AbortSignal): Promise<void> {
    const record = await this.store.executions.get(job.data.execution_id);
    if (!record || record.state !== ExecutionState.scheduled) return;
    // The job as it was when run-now was asked: the record's own snapshot.
    const definition = record.job;
    const log = this.logger.child({ job_id: definition.job_id, execution_id: record._id });
    const taskId = String(job.id ?? '');
    const refusal = this.classRefusal(definition) ?? (await this.acquireSlot(definition, record._id));
    if (refusal) {
      await this.store.executions.transition(record._id, [ExecutionState.scheduled], {
        state: ExecutionState.scheduledError,
        ...this.host,
        task_id: taskId,
        ...refusal,
      });
      log.warn(refusal.description);
      return;
    }
    try {
      const attempt = newId();
      const started = await this.store.executions.transition(record._id, [ExecutionState.scheduled], {
        state: ExecutionState.running,
        ...this.host,
        task_id: taskId,
        attempt,
        lease_until: new Date(Date.now() + this.policy.leaseMs),
      });
      if (started) await this.run(record._id, attempt, definition, log, signal);
    } finally {
      await this.limiter.release(definition.job_id, record._id);
    }
  }

  /** Resolved here too, so an unknown class is a `scheduled error` without starting a process. */
  private classRefusal(definition: JobSummary): Refusal | null {
    try {
      this.registry.resolve(definition.job_class_string);
      return null;
    } catch (err) {
      const error = err as Error;
      return { description: error.message, result: error.stack ?? error.message };
    }
  }

  /** Takes one of the job's instance slots across the fleet, or says why not. */
  private async acquireSlot(definition: JobSummary, executionId: string): Promise<Refusal | null> {
    const maxInstances = definition.max_instances ?? this.policy.maxInstances;
    if (await this.limiter.acquire(definition.job_id, executionId, maxInstances, this.policy.leaseMs)) return null;
    return {
      description: `Execution of job skipped: maximum number of running instances reached (${maxInstances})`,
      result: '',
    };
  }

  private async run(
    executionId: string,
    attempt: string,
    definition: JobSummary,
    log: Logger,
    signal?: AbortSignal,
  ): Promise<void> {
    log.info({ job_class_string: definition.job_class_string }, 'run started');
    const run = this.running.start(definition.job_id, executionId, attempt);
    signal?.addEventListener('abort', () => this.running.abort(executionId, 'stop'), { once: true });
    const timer = definition.timeout
      ? setTimeout(() => this.running.abort(executionId, 'timeout'), definition.timeout * 1000)
      : undefined;
    // Leave the renewal list first, then write in turn with renewals: see SerialWrites.
    const finish = (update: { state: ExecutionState; description?: string; result?: string }) => {
      this.running.finish(executionId);
      return this.writes.run(() =>
        this.store.executions.transition(
          executionId,
          [ExecutionState.running, ExecutionState.stopping],
          { ...update, lease_until: null },
          attempt,
        ),
      );
    };
    try {
      const emit = (level: 'info' | 'warn' | 'error') => (m: string) => log[level](m);
      const value = await this.sandbox.run(
        {
          packages: [...this.registry.packages],
          baseDir: process.cwd(),
          jobClassString: definition.job_class_string,
          jobId: definition.job_id,
          executionId,
          args: definition.pub_args,
        },
        run.controller.signal,
        { info: emit('info'), warn: emit('warn'), error: emit('error') },
      );
      await finish({ state: ExecutionState.succeeded, result: pythonJsonDumps(value) });
      log.info('run succeeded');
    } catch (err) {
      if (run.reason === 'timeout') {
        await finish({ state: ExecutionState.timeout, description: `timed out after ${definition.timeout} s` });
        log.warn('run timed out');
      } else if (run.reason === 'stop' || run.reason === 'shutdown') {
        const description = run.reason === 'stop' ? 'stopped on request' : 'stopped: the worker shut down';
        await finish({ state: ExecutionState.stopped, description });
        log.info(description);
      } else {
        const error = err instanceof Error ? err : new Error(String(err));
        await finish({
          state: ExecutionState.failed,
          description: error.message,
          result: error.stack ?? error.message,
        });
        log.warn({ err: error }, 'run failed');
      }
    } finally {
      clearTimeout(timer);
      this.running.finish(executionId);
    }
  }
}

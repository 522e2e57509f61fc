import { ExecutionState, type JobDefinition, newId, pythonJsonDumps } from '@tickwork/domain';
import {
  type InstanceLimiter,
  MANUAL_RUN,
  type ManualRunData,
  SCHEDULED_RUN,
  type ScheduledRunData,
} from '@tickwork/queue';
import type { JobClassRegistry } from '@tickwork/sdk';
import type { ExecutionRecord, Store } from '@tickwork/store';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { RunningRuns } from './running-runs.js';
import type { Sandbox } from './sandbox/sandbox.js';

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

/**
 * Turns one BullMQ job into one execution record and at most one run: records the fire (once, through the
 * unique fire key), resolves the class, runs it, and writes each state with this host and pid.
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
    // A fire picked up later than the grace is recorded, not run (APScheduler's misfire_grace_time).
    const lateMs = Date.now() - fireMs;
    const graceSec = definition.misfire_grace_sec ?? this.policy.misfireGraceSec;
    const missed = lateMs > graceSec * 1000;
    const record = await this.store.executions.insertOnce({
      execution_id: newId(),
      job: definition,
      fire_key: `${jobId}@${fireMs}`,
      scheduled_time: new Date(fireMs),
      ...(missed && {
        state: ExecutionState.scheduledError,
        description: `Run time of job was missed by ${Math.round(lateMs / 1000)} s (misfire grace ${graceSec} s)`,
      }),
    });
    if (missed) {
      this.logger.warn({ job_id: jobId, fire: fireMs, late_ms: lateMs }, 'fire missed its grace; not run');
      return;
    }
    if (!record) {
      this.logger.info({ job_id: jobId, fire: fireMs }, 'fire already recorded elsewhere; not run again');
      return;
    }
    await this.execute(record, definition, String(job.id ?? ''), signal);
  }

  private async processManual(job: Job<ManualRunData>, signal?: AbortSignal): Promise<void> {
    const record = await this.store.executions.get(job.data.execution_id);
    if (!record || record.state !== ExecutionState.scheduled) return;
    const definition = (await this.store.jobs.get(record.job_id)) ?? { ...record.job, paused: false };
    await this.execute(record, definition, String(job.id ?? ''), signal);
  }

  private async execute(
    record: ExecutionRecord,
    definition: JobDefinition,
    taskId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const log = this.logger.child({ job_id: definition.job_id, execution_id: record._id });
    const executions = this.store.executions;
    try {
      // Resolved here too, so an unknown class is a `scheduled error` without starting a process.
      this.registry.resolve(definition.job_class_string);
    } catch (err) {
      const error = err as Error;
      await executions.transition(record._id, [ExecutionState.scheduled], {
        state: ExecutionState.scheduledError,
        ...this.host,
        task_id: taskId,
        description: error.message,
        result: error.stack ?? error.message,
      });
      log.warn({ err: error }, 'job class not found');
      return;
    }
    const maxInstances = definition.max_instances ?? this.policy.maxInstances;
    let acquired: boolean;
    try {
      acquired = await this.limiter.acquire(definition.job_id, record._id, maxInstances, this.policy.leaseMs);
    } catch (err) {
      // Never leave a recorded fire `scheduled` because the worker itself could not go on.
      await executions.transition(record._id, [ExecutionState.scheduled], {
        state: ExecutionState.failed,
        ...this.host,
        description: `worker error before the run started: ${(err as Error).message}`,
      });
      throw err;
    }
    if (!acquired) {
      await executions.transition(record._id, [ExecutionState.scheduled], {
        state: ExecutionState.scheduledError,
        ...this.host,
        task_id: taskId,
        description: `Execution of job skipped: maximum number of running instances reached (${maxInstances})`,
      });
      log.warn({ max_instances: maxInstances }, 'skipped: max instances running');
      return;
    }
    try {
      await this.run(record, definition, taskId, log, signal);
    } finally {
      await this.limiter.release(definition.job_id, record._id);
    }
  }

  private async run(
    record: ExecutionRecord,
    definition: JobDefinition,
    taskId: string,
    log: Logger,
    signal?: AbortSignal,
  ): Promise<void> {
    const executions = this.store.executions;
    const attempt = newId();
    const started = await executions.transition(record._id, [ExecutionState.scheduled], {
      state: ExecutionState.running,
      ...this.host,
      task_id: taskId,
      attempt,
      lease_until: new Date(Date.now() + this.policy.leaseMs),
    });
    if (!started) return;
    log.info({ job_class_string: definition.job_class_string }, 'run started');
    const run = this.running.start(definition.job_id, record._id, attempt);
    signal?.addEventListener('abort', () => this.running.abort(record._id, 'stop'), { once: true });
    const timer = definition.timeout
      ? setTimeout(() => this.running.abort(record._id, 'timeout'), definition.timeout * 1000)
      : undefined;
    try {
      const log_ = (level: 'info' | 'warn' | 'error') => (m: string) => log[level](m);
      const value = await this.sandbox.run(
        {
          packages: [...this.registry.packages],
          baseDir: process.cwd(),
          jobClassString: definition.job_class_string,
          jobId: definition.job_id,
          executionId: record._id,
          args: definition.pub_args,
        },
        run.controller.signal,
        { info: log_('info'), warn: log_('warn'), error: log_('error') },
      );
      await executions.transition(
        record._id,
        [ExecutionState.running, ExecutionState.stopping],
        { state: ExecutionState.succeeded, result: pythonJsonDumps(value), lease_until: null },
        attempt,
      );
      log.info('run succeeded');
    } catch (err) {
      if (run.reason === 'timeout') {
        await executions.transition(
          record._id,
          [ExecutionState.running, ExecutionState.stopping],
          { state: ExecutionState.timeout, description: `timed out after ${definition.timeout} s`, lease_until: null },
          attempt,
        );
        log.warn('run timed out');
      } else if (run.reason === 'stop' || run.reason === 'shutdown') {
        const description = run.reason === 'stop' ? 'stopped on request' : 'stopped: the worker shut down';
        await executions.transition(
          record._id,
          [ExecutionState.running, ExecutionState.stopping],
          { state: ExecutionState.stopped, description, lease_until: null },
          attempt,
        );
        log.info(description);
      } else {
        const error = err instanceof Error ? err : new Error(String(err));
        await executions.transition(
          record._id,
          [ExecutionState.running, ExecutionState.stopping],
          {
            state: ExecutionState.failed,
            description: error.message,
            result: error.stack ?? error.message,
            lease_until: null,
          },
          attempt,
        );
        log.warn({ err: error }, 'run failed');
      }
    } finally {
      clearTimeout(timer);
      this.running.finish(record._id);
    }
  }
}

import { ExecutionState, type JobDefinition, newId, pythonJsonDumps } from '@tickwork/domain';
import { MANUAL_RUN, type ManualRunData, SCHEDULED_RUN, type ScheduledRunData } from '@tickwork/queue';
import type { JobClassRegistry } from '@tickwork/sdk';
import type { ExecutionRecord, Store } from '@tickwork/store';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';

export interface RunHost {
  hostname: string;
  pid: number;
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
    const record = await this.store.executions.insertOnce({
      execution_id: newId(),
      job: definition,
      fire_key: `${jobId}@${fireMs}`,
      scheduled_time: new Date(fireMs),
    });
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
    let JobClass: ReturnType<JobClassRegistry['resolve']>;
    try {
      JobClass = this.registry.resolve(definition.job_class_string);
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
    const started = await executions.transition(record._id, [ExecutionState.scheduled], {
      state: ExecutionState.running,
      ...this.host,
      task_id: taskId,
    });
    if (!started) return;
    log.info({ job_class_string: definition.job_class_string }, 'run started');
    try {
      const instance = new JobClass(definition.job_id, record._id, {
        signal: signal ?? new AbortController().signal,
        logger: {
          info: (m) => log.info(m),
          warn: (m) => log.warn(m),
          error: (m) => log.error(m),
        },
      });
      const value = await instance.run(...definition.pub_args);
      await executions.transition(record._id, [ExecutionState.running], {
        state: ExecutionState.succeeded,
        result: pythonJsonDumps(value),
      });
      log.info('run succeeded');
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      await executions.transition(record._id, [ExecutionState.running], {
        state: ExecutionState.failed,
        description: error.message,
        result: error.stack ?? error.message,
      });
      log.warn({ err: error }, 'run failed');
    }
  }
}

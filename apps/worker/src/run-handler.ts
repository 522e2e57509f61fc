import {
  classRefusal,
  classRoleRefusal,
  fireExecutionId,
  hasAllTags,
  instanceRefusal,
  type JobSummary,
  misfireRefusal,
  type Refusal,
  runOutcome,
  runSnapshot,
} from '@tickwork/domain';
import type { Attempt, Delivery, Fleet } from '@tickwork/ledger';
import {
  BACKFILL_RUN,
  type BackfillRunData,
  backfillSkippedFires,
  MANUAL_RUN,
  RETRY_RUN,
  type RecordedRunData,
  SCHEDULED_RUN,
  type ScheduledRunData,
} from '@tickwork/queue';
import type { JobClassRegistry } from '@tickwork/sdk';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { RunningRuns } from './running-runs.js';
import type { Sandbox } from './sandbox/sandbox.js';
import { StreamedOutput } from './streamed-output.js';

export interface RunPolicy {
  /** How long an instance slot (and a worker's lease) lasts unrenewed. */
  leaseMs: number;
  /** Defaults for jobs without their own. */
  misfireGraceSec: number;
  maxInstances: number;
  /** JOB_COALESCE: fires skipped while a late one waited collapse into it (true), or are each recorded. */
  coalesce: boolean;
  /** WORKER_TAGS: this worker's tags. */
  workerTags: readonly string[];
}

export interface RunHandlerParts {
  fleet: Fleet;
  registry: JobClassRegistry;
  sandbox: Sandbox;
  running: RunningRuns;
  policy: RunPolicy;
  delivery: Delivery;
  logger: Logger;
}

/**
 * The worker's glue between a queue entry and the ledger: it decides whether a fire or a waiting run may
 * run (admission), runs it in the sandbox, and hands every state change to the ledger, which writes it.
 */
export class RunHandler {
  constructor(private readonly parts: RunHandlerParts) {}

  async process(entry: Job, signal?: AbortSignal): Promise<void> {
    const taskId = String(entry.id ?? '');
    if (entry.name === SCHEDULED_RUN) {
      // BullMQ's intended fire time for this scheduler iteration.
      return this.fire(entry.data as ScheduledRunData, entry.opts.prevMillis ?? entry.timestamp, taskId, false, signal);
    }
    if (entry.name === BACKFILL_RUN) {
      const data = entry.data as BackfillRunData;
      return this.fire(data, data.fire_ms, taskId, true, signal);
    }
    if (entry.name === MANUAL_RUN || entry.name === RETRY_RUN) {
      return this.recorded(entry.data as RecordedRunData, taskId, signal);
    }
    this.parts.logger.warn({ bullmq_job: entry.id, name: entry.name }, 'ignoring a queue entry of unknown kind');
  }

  private async fire(data: ScheduledRunData, fireMs: number, taskId: string, backfill: boolean, signal?: AbortSignal) {
    const { fleet, policy, logger } = this.parts;
    const current = await this.definitionOf(data);
    if (!current) return logger.info({ job_id: data.job_id }, 'fire of a deleted or paused job skipped');
    const { job, rev } = current;
    const log = logger.child({ job_id: job.job_id, execution_id: fireExecutionId(job.job_id, fireMs) });
    if (!policy.coalesce && !backfill) {
      // Best effort: failing to queue the skipped fires must not cost this one.
      await backfillSkippedFires(fleet.runQueues, job, rev, fireMs, Date.now()).then(
        (n) => n > 0 && log.info({ fires: n }, 'fires skipped while this one waited are queued (JOB_COALESCE=false)'),
        (err) => log.warn({ err }, 'queueing the fires skipped while this one waited failed'),
      );
    }
    const executionId = fireExecutionId(job.job_id, fireMs);
    const late = misfireRefusal(fireMs, Date.now(), job.misfire_grace_sec ?? policy.misfireGraceSec);
    const refusal =
      late ?? this.tagRefusal(job) ?? this.classRefusal(job) ?? (await this.instanceSlot(job, executionId));
    try {
      const result = await fleet.ledger.recordFire(job, fireMs, taskId, refusal);
      if ('taken' in result) await this.run(result.taken, log, signal);
      else if ('refused' in result) log.warn(result.refused.description);
      else log.info({ fire: fireMs }, 'fire already recorded elsewhere; not run again');
    } finally {
      if (!refusal) await fleet.limiter.release(job.job_id, executionId);
    }
  }

  /** A run-now or a retry: taken from the ledger, then admitted or refused. */
  private async recorded(data: RecordedRunData, taskId: string, signal?: AbortSignal) {
    const { fleet, logger } = this.parts;
    const attempt = await fleet.ledger.claim(data, taskId);
    if (!attempt) return;
    const log = logger.child({ job_id: data.job_id, execution_id: data.execution_id });
    const refusal = this.classRefusal(attempt.job) ?? (await this.instanceSlot(attempt.job, attempt.execution_id));
    try {
      if (refusal) {
        log.warn(refusal.description);
        await fleet.ledger.refuse(attempt, refusal);
      } else {
        await this.run(attempt, log, signal);
      }
    } finally {
      if (!refusal) await fleet.limiter.release(attempt.job.job_id, attempt.execution_id);
    }
  }

  /**
   * The job a fire runs: the copy it carries while that is still the job's current revision (no store
   * read), else the store's; null when the job was deleted or paused meanwhile.
   */
  private async definitionOf(data: ScheduledRunData): Promise<{ job: JobSummary; rev: number } | null> {
    const { fleet, delivery } = this.parts;
    if (data.job && data.rev !== undefined && (await fleet.jobChanges.revisionOf(data.job_id)) === data.rev) {
      return { job: data.job, rev: data.rev };
    }
    const stored = await delivery.run('reading a fired job', () => fleet.store.jobs.get(data.job_id));
    if (!stored || stored.paused) return null;
    return { job: runSnapshot(stored), rev: stored.revision };
  }

  /**
   * Resolved here too, so an unknown class is a `scheduled error` without starting a process; so is a job
   * whose author's role is below what its class needs here (this worker knows the class, the API may not).
   */
  private classRefusal(job: JobSummary): Refusal | null {
    try {
      const classRole = this.parts.registry.requiredRole(job.job_class_string);
      const refused = classRoleRefusal(job.job_class_string, classRole, job.author_role);
      return refused ? { description: refused, result: '' } : null;
    } catch (err) {
      return classRefusal(err as Error);
    }
  }

  /**
   * A fire reaches only workers with its job's tags, but one queued before a PUT changed the tags is read
   * with the job's current definition: recorded, not run here, when this worker lacks a tag it now needs.
   */
  private tagRefusal(job: JobSummary): Refusal | null {
    const tags = job.worker_tags ?? [];
    if (hasAllTags(this.parts.policy.workerTags, tags)) return null;
    const missing = tags.filter((tag) => !this.parts.policy.workerTags.includes(tag));
    return {
      description: `Not run: the job's worker_tags changed; this worker lacks ${missing.join(', ')}`,
      result: '',
    };
  }

  /** Takes one of the job's instance slots across the fleet, or says why not. */
  private async instanceSlot(job: JobSummary, executionId: string): Promise<Refusal | null> {
    const { fleet, policy } = this.parts;
    const max = job.max_instances ?? policy.maxInstances;
    return (await fleet.limiter.acquire(job.job_id, executionId, max, policy.leaseMs)) ? null : instanceRefusal(max);
  }

  private async run(attempt: Attempt, log: Logger, signal?: AbortSignal): Promise<void> {
    const { running, sandbox, fleet } = this.parts;
    const { execution_id: executionId, job } = attempt;
    log.info({ job_class_string: job.job_class_string }, 'run started');
    const run = running.start(job.job_id, executionId);
    signal?.addEventListener('abort', () => running.abort(executionId, 'stop'), { once: true });
    const timer = job.timeout ? setTimeout(() => running.abort(executionId, 'timeout'), job.timeout * 1000) : undefined;
    const output = new StreamedOutput(executionId, fleet.outputs, log);
    try {
      const emit = (level: 'info' | 'warn' | 'error') => (m: string) => {
        log[level](m);
        output.add(level, m);
      };
      // The job's outcome first; recording it comes after, so a failed write is never taken for the job's.
      const answer = await sandbox
        .run(
          {
            jobClassString: job.job_class_string,
            jobId: job.job_id,
            executionId,
            args: job.pub_args,
          },
          run.controller.signal,
          { info: emit('info'), warn: emit('warn'), error: emit('error') },
        )
        .then(
          (value) => ({ value }),
          (err) => ({ error: err instanceof Error ? err : new Error(String(err)) }),
        );
      clearTimeout(timer);
      const outcome = runOutcome(answer, run.reason, job.timeout);
      log.info(`run ${outcome.state}`);
      running.finishing(executionId);
      await fleet.ledger.finish(attempt, outcome, await output.close());
      output.discard();
    } finally {
      clearTimeout(timer);
      running.done(executionId);
    }
  }
}

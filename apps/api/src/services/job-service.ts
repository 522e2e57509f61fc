import {
  AuditEvent,
  describeChanges,
  ExecutionState,
  hasCronFields,
  isId,
  JOB_CRON_FIELDS,
  type JobChanges,
  type JobDefinition,
  type NewJob,
  newId,
  newJobDefinition,
  normalizeSchedule,
  type Role,
  roleAllows,
} from '@tickwork/domain';
import { enqueueRecordedRun, type SchedulerMirror } from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import type { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../auth/principal.js';
import { ApiError } from '../errors/api-error.js';
import { jobView } from '../views/job-view.js';
import type { JobClassRoles } from './job-class-roles.js';

/** Jobs saved while no users exist count as an admin's, as everyone is one then. */
function authorRole(actor: Actor): Role {
  return actor.role ?? 'admin';
}

export function assertId(value: string, name: 'job_id' | 'execution_id'): void {
  if (!isId(value))
    throw ApiError.badRequest(`Invalid ${name}: ${JSON.stringify(value)} is not 32 lowercase hex digits`);
}

/**
 * Every change to a job, in one place: MongoDB first (the source of truth), then the BullMQ scheduler
 * mirror, then the audit log. A mirror write that fails is logged and left to the reconciler, which
 * rebuilds schedulers from MongoDB; the client's change is already safe.
 */
export class JobService {
  constructor(
    private readonly store: Store,
    private readonly mirror: SchedulerMirror,
    private readonly runQueue: Queue,
    private readonly classRoles: JobClassRoles,
    private readonly defaultTimeZone: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  async get(jobId: string): Promise<JobDefinition> {
    assertId(jobId, 'job_id');
    const job = await this.store.jobs.get(jobId);
    if (!job) throw ApiError.badRequest(`Job not found: ${jobId}`);
    return job;
  }

  async create(input: NewJob, actor: Actor): Promise<string> {
    await this.assertMayUse(input.job_class_string, actor);
    const job: JobDefinition = { ...newJobDefinition(input, this.defaultTimeZone), author_role: authorRole(actor) };
    await this.store.jobs.insert(job);
    await this.mirrorUpsert(job);
    await this.audit(job, AuditEvent.added, actor.name, '');
    return job.job_id;
  }

  async modify(jobId: string, changes: JobChanges, actor: Actor): Promise<void> {
    const before = await this.get(jobId);
    await this.assertMayUse(before.job_class_string, actor);
    if (changes.job_class_string !== undefined) await this.assertMayUse(changes.job_class_string, actor);
    const cronSource = hasCronFields(changes)
      ? changes
      : Object.fromEntries(JOB_CRON_FIELDS.map((f) => [f, before[f]]));
    const after: JobDefinition = {
      ...before,
      name: changes.name ?? before.name,
      job_class_string: changes.job_class_string ?? before.job_class_string,
      pub_args: changes.pub_args ?? before.pub_args,
      ...normalizeSchedule(cronSource, changes.timezone ?? before.timezone),
      timeout: changes.timeout === undefined ? before.timeout : changes.timeout,
      misfire_grace_sec: changes.misfire_grace_sec === undefined ? before.misfire_grace_sec : changes.misfire_grace_sec,
      max_instances: changes.max_instances === undefined ? before.max_instances : changes.max_instances,
      retries: changes.retries ?? before.retries,
      retry_backoff_sec: changes.retry_backoff_sec ?? before.retry_backoff_sec,
      notify_webhook_url:
        changes.notify_webhook_url === undefined ? before.notify_webhook_url : changes.notify_webhook_url,
      notify_slack_url: changes.notify_slack_url === undefined ? before.notify_slack_url : changes.notify_slack_url,
      author_role: authorRole(actor),
    };
    if (!(await this.store.jobs.replace(after))) throw ApiError.badRequest(`Job not found: ${jobId}`);
    await this.mirrorUpsert(after);
    await this.audit(after, AuditEvent.modified, actor.name, describeChanges(before, after));
  }

  async delete(jobId: string, actor: Actor): Promise<void> {
    const job = await this.get(jobId);
    await this.assertMayUse(job.job_class_string, actor);
    if (!(await this.store.jobs.delete(jobId))) throw ApiError.badRequest(`Job not found: ${jobId}`);
    await this.mirrorRemove(jobId);
    const { next_run_time: _, ...oldJob } = jobView(job);
    await this.audit(job, AuditEvent.deleted, actor.name, JSON.stringify(oldJob));
  }

  async setPaused(jobId: string, paused: boolean, actor: Actor): Promise<void> {
    const job = await this.get(jobId);
    await this.assertMayUse(job.job_class_string, actor);
    if (!(await this.store.jobs.setPaused(jobId, paused))) throw ApiError.badRequest(`Job not found: ${jobId}`);
    if (paused) await this.mirrorRemove(jobId);
    else await this.mirrorUpsert({ ...job, paused: false });
    await this.audit(job, paused ? AuditEvent.paused : AuditEvent.resumed, actor.name, '');
  }

  /** Run now: the execution is recorded before it is queued, so its id is real whatever happens next. */
  async runNow(jobId: string, actor: Actor): Promise<string> {
    const job = await this.get(jobId);
    await this.assertMayUse(job.job_class_string, actor);
    const executionId = newId();
    await this.store.executions.insertOnce({
      execution_id: executionId,
      job,
      fire_key: `manual@${executionId}`,
      scheduled_time: new Date(),
      state: ExecutionState.scheduled,
      run_after: new Date(),
    });
    await enqueueRecordedRun(this.runQueue, { job_id: jobId, execution_id: executionId });
    await this.audit(job, AuditEvent.customRun, actor.name, executionId);
    return executionId;
  }

  /**
   * 403 when the class needs a higher role than the actor's. Only with users (authentication on); a class
   * whose role is unknown here (no live worker has it) is let through: its worker refuses to run the job
   * if the author's role (recorded on the job) was too low.
   */
  private async assertMayUse(jobClassString: string, actor: Actor): Promise<void> {
    if (actor.role === null) return;
    const needed = await this.classRoles.of(jobClassString);
    if (needed && !roleAllows(actor.role, needed)) {
      throw new ApiError(
        403,
        `forbidden: ${jobClassString} needs the ${needed} role to create, change or run its jobs; ${actor.name} is ${actor.role}`,
      );
    }
  }

  private async audit(job: JobDefinition, event: AuditEvent, user: string, description: string): Promise<void> {
    await this.store.auditLogs.add({ job_id: job.job_id, job_name: job.name, event, user, description });
  }

  private async mirrorUpsert(job: JobDefinition): Promise<void> {
    await this.mirror.upsert(job).catch((err) => {
      this.log.error({ err, job_id: job.job_id }, 'scheduler upsert failed; the reconciler will repair it');
    });
  }

  private async mirrorRemove(jobId: string): Promise<void> {
    await this.mirror.remove(jobId).catch((err) => {
      this.log.error({ err, job_id: jobId }, 'scheduler removal failed; the reconciler will repair it');
    });
  }
}

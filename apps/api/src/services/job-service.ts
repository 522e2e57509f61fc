import {
  AuditEvent,
  type ChainLink,
  checkChain,
  describeChanges,
  type JobChanges,
  type JobDefinition,
  mergeJobChanges,
  type NewJob,
  newJobDefinition,
  type Role,
  roleAllows,
  runSnapshot,
  type StoredJob,
} from '@tickwork/domain';
import type { RunLedger } from '@tickwork/ledger';
import { type ChainBook, type JobChangeFeed, type SchedulerMirror, withDeadline } from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../auth/principal.js';
import { ApiError } from '../errors/api-error.js';
import { jobView } from '../views/job-view.js';
import { assertId } from './assert-id.js';
import type { JobCatalog } from './job-catalog.js';
import type { JobClassRoles } from './job-class-roles.js';

/** Jobs saved while no users exist count as an admin's, as everyone is one then. */
function authorRole(actor: Actor): Role {
  return actor.role ?? 'admin';
}

/** How long a change waits for Redis to hear of it before the request gives up (503). */
const REDIS_DEADLINE_MS = 3000;

export interface JobServiceParts {
  store: Store;
  mirror: SchedulerMirror;
  changes: JobChangeFeed;
  catalog: JobCatalog;
  /** The role each class's jobs need (JOB_CLASS_ROLES, else what live workers say the class declares). */
  classRoles: JobClassRoles;
  ledger: RunLedger;
  /** Which jobs wait for which (`after`), for the run ends to read. */
  chains: ChainBook;
  /**
   * Runs a change to a job's `after` alone across the API processes: two changes each checked against the
   * other's old state could close a cycle. Null when the lock could not be had.
   */
  chainLock: <T>(work: () => Promise<T>) => Promise<T>;
  defaultTimeZone: string;
  log: FastifyBaseLogger;
}

/**
 * Every change to a job, in one place, in this order:
 * 1. the job's revision in Redis is invalidated, so no fire queued with the old definition runs it after
 *    this request answers (if Redis cannot be told, nothing is changed and the request answers 503);
 * 2. MongoDB, the source of truth;
 * 3. the change is announced to every API process's job catalog, and the BullMQ scheduler mirror is
 *    written (a mirror write that fails is logged and left to the reconciler: the change is safe);
 * 4. the audit log.
 * A job's class may need a higher role than editor to create, change or run its jobs (ShellJob, CurlJob):
 * with users, a caller below it is refused (403), and the job records its author's role for the worker.
 * A job that waits for another (`after`) is checked first (the upstream exists, no cycle), and after each
 * change the chain book lists again the active jobs waiting for its upstream. Deleting a job pauses the
 * jobs waiting for it, each with an audit entry saying why.
 */
export class JobService {
  constructor(private readonly parts: JobServiceParts) {}

  /** The job as it is now: from the catalog when it can vouch for it, else from the store. */
  async get(jobId: string): Promise<StoredJob> {
    assertId(jobId, 'job_id');
    const { catalog, store } = this.parts;
    const job = (await catalog.fresh().catch(() => false)) ? catalog.get(jobId) : await store.jobs.get(jobId);
    if (!job) throw ApiError.badRequest(`Job not found: ${jobId}`);
    return job;
  }

  async create(input: NewJob, actor: Actor): Promise<string> {
    await this.assertMayUse(input.job_class_string, actor);
    const job: JobDefinition = {
      ...newJobDefinition(input, this.parts.defaultTimeZone),
      author_role: authorRole(actor),
    };
    const save = async () => {
      if (job.after) await this.checkChain(null, job.after);
      const at = Date.now();
      await this.invalidate(job.job_id, at);
      const stored = await this.parts.store.jobs.insert(job, at);
      await this.announce(stored);
    };
    await (job.after ? this.parts.chainLock(save) : save());
    await this.refreshChains([job.after?.job_id]);
    await this.audit(job, AuditEvent.added, actor.name, '');
    return job.job_id;
  }

  async modify(jobId: string, changes: JobChanges, actor: Actor): Promise<void> {
    const save = async () => {
      const before = await this.get(jobId);
      await this.assertMayUse(before.job_class_string, actor);
      if (changes.job_class_string !== undefined) await this.assertMayUse(changes.job_class_string, actor);
      const after: JobDefinition = { ...mergeJobChanges(before, changes), author_role: authorRole(actor) };
      if (changes.after) await this.checkChain(jobId, changes.after);
      const at = nextRevision(before);
      await this.invalidate(jobId, at);
      if (!(await this.parts.store.jobs.replace(after, at))) throw ApiError.badRequest(`Job not found: ${jobId}`);
      await this.announce({ ...after, created_time: before.created_time, revision: at });
      return { before, after };
    };
    const { before, after } = await (changes.after ? this.parts.chainLock(save) : save());
    await this.refreshChains([before.after?.job_id, after.after?.job_id]);
    await this.audit(after, AuditEvent.modified, actor.name, describeChanges(before, after));
  }

  async delete(jobId: string, actor: Actor): Promise<void> {
    const job = await this.get(jobId);
    await this.assertMayUse(job.job_class_string, actor);
    await this.invalidate(jobId, null);
    if (!(await this.parts.store.jobs.delete(jobId))) throw ApiError.badRequest(`Job not found: ${jobId}`);
    await this.announce(null, jobId);
    const { next_run_time: _, ...oldJob } = jobView(job);
    await this.audit(job, AuditEvent.deleted, actor.name, JSON.stringify(oldJob));
    await this.refreshChains([job.after?.job_id]);
    await this.pauseDependants(job, actor);
  }

  async setPaused(jobId: string, paused: boolean, actor: Actor, why = ''): Promise<void> {
    const job = await this.get(jobId);
    await this.assertMayUse(job.job_class_string, actor);
    const at = nextRevision(job);
    await this.invalidate(jobId, at);
    if (!(await this.parts.store.jobs.setPaused(jobId, paused, at)))
      throw ApiError.badRequest(`Job not found: ${jobId}`);
    await this.announce({ ...job, paused, revision: at });
    await this.refreshChains([job.after?.job_id]);
    await this.audit(job, paused ? AuditEvent.paused : AuditEvent.resumed, actor.name, why);
  }

  /**
   * The jobs that waited for a deleted job are paused, each saying why in the audit log. Their `after`
   * still names the deleted job, so what they waited for stays visible; a PUT of a new `after` (or a
   * schedule, then `after: null`) and a resume put one back to work.
   */
  private async pauseDependants(deleted: StoredJob, actor: Actor): Promise<void> {
    for (const dependant of await this.parts.store.jobs.dependantsOf(deleted.job_id)) {
      const why = `the job it runs after, ${JSON.stringify(deleted.name)} (${deleted.job_id}), was deleted`;
      if (dependant.paused) {
        await this.audit(dependant, AuditEvent.paused, actor.name, `already paused; ${why}`);
        continue;
      }
      await this.setPaused(dependant.job_id, true, { ...actor, role: null }, why);
    }
  }

  /** A 400 unless `after` names a job there is, other than this one, and closes no cycle. */
  private async checkChain(jobId: string | null, after: ChainLink): Promise<void> {
    await checkChain(jobId, after, (id) => this.get(id).catch(() => null));
  }

  /**
   * Lists again in the chain book the active jobs waiting for each of these upstream jobs: one indexed
   * store read each, under the chain lock, so that of two API processes changing jobs that wait for the
   * same one, the later listing has read both changes. A listing that fails is logged: the reconcile pass
   * restores what is missing.
   */
  private async refreshChains(upstreams: ReadonlyArray<string | undefined>): Promise<void> {
    const { store, chains, chainLock, log } = this.parts;
    const ids = [...new Set(upstreams)].filter((id): id is string => Boolean(id));
    if (ids.length === 0) return;
    await chainLock(async () => {
      for (const upstream of ids) {
        const waiting = (await store.jobs.dependantsOf(upstream))
          .filter((job) => !job.paused)
          .map((job) => ({ job: runSnapshot(job), rev: job.revision }));
        await withDeadline(chains.set(upstream, waiting), REDIS_DEADLINE_MS, 'listing the jobs waiting');
      }
    }).catch((err) =>
      log.error({ err, job_ids: ids }, 'the jobs waiting for these were not listed; the reconciler will'),
    );
  }

  /** Run now: the execution is recorded (by the ledger) before it is queued, so its id is real whatever happens. */
  async runNow(jobId: string, actor: Actor): Promise<string> {
    const job = await this.get(jobId);
    await this.assertMayUse(job.job_class_string, actor);
    // The job as its author saved it, with their role: the worker checks it against the class.
    const executionId = await this.parts.ledger.queueRunNow(runSnapshot(job));
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
    const needed = await this.parts.classRoles.of(jobClassString);
    if (needed && !roleAllows(actor.role, needed)) {
      throw new ApiError(
        403,
        `forbidden: ${jobClassString} needs the ${needed} role to create, change or run its jobs; ${actor.name} is ${actor.role}`,
      );
    }
  }

  private async invalidate(jobId: string, revision: number | null): Promise<void> {
    await withDeadline(this.parts.changes.invalidate(jobId, revision), REDIS_DEADLINE_MS, 'invalidating the job');
  }

  /**
   * The change, stored, reaches this process's catalog at once, the others through the feed, and the
   * scheduler mirror. Redis going away now costs the others a moment's staleness (the feed catches up when
   * it is back), never the change itself.
   */
  private async announce(job: StoredJob | null, jobId = job?.job_id ?? ''): Promise<void> {
    const { catalog, changes, mirror, log } = this.parts;
    catalog.apply(jobId, job);
    await withDeadline(changes.announce(jobId), REDIS_DEADLINE_MS, 'announcing the change').catch((err) =>
      log.warn({ err, job_id: jobId }, 'announcing a job change failed; other API processes catch up later'),
    );
    const write = job && !job.paused ? mirror.upsert(job) : mirror.remove(jobId);
    await withDeadline(write, REDIS_DEADLINE_MS, 'writing the scheduler').catch((err) =>
      log.error({ err, job_id: jobId }, 'scheduler write failed; the reconciler will repair it'),
    );
  }

  private async audit(job: JobDefinition, event: AuditEvent, user: string, description: string): Promise<void> {
    await this.parts.store.auditLogs.add({ job_id: job.job_id, job_name: job.name, event, user, description });
  }
}

/** A revision newer than the job's current one, even if the clock did not move (two changes in a millisecond). */
function nextRevision(job: StoredJob): number {
  return Math.max(Date.now(), job.revision + 1);
}

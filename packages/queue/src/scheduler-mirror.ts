import { isUnscheduled, runSnapshot, type StoredJob, schedulePattern, triggerFor } from '@tickwork/domain';
import type { Queue } from 'bullmq';
import { jobIdOfScheduler, runQueueName, SCHEDULED_RUN, type ScheduledRunData, schedulerIdFor } from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { withRedisLock } from './redis-lock.js';
import type { RunQueues } from './run-queues.js';

export interface ReconcileReport {
  upserted: number;
  removed: number;
  unchanged: number;
  /**
   * Redis had lost the mirror (flushed, restarted empty, keys deleted) since the last complete pass, or
   * during this one: the fires due meanwhile were never queued. Seen under the lock, by one pass only.
   */
  lost: boolean;
}

/**
 * Keeps BullMQ's job schedulers an exact mirror of the active jobs in MongoDB: one scheduler per active
 * job, in the queue of its worker tags, none for paused or deleted ones, none in any other queue. Pause
 * removes the scheduler (BullMQ has no per-scheduler pause).
 */
export class SchedulerMirror {
  constructor(
    private readonly queues: RunQueues,
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Set by each complete pass: its absence means Redis lost its data (flushed, or restarted empty). */
  private get markKey(): string {
    return `${this.prefix}:mirror-reconciled`;
  }

  /** False when Redis has lost the mirror since the last complete pass: reconcile now, not at the next tick. */
  async isIntact(): Promise<boolean> {
    return (await this.redis.exists(this.markKey)) === 1;
  }

  async upsert(job: StoredJob): Promise<void> {
    // A job that runs only after another (no schedule) has no scheduler, like a paused one.
    if (job.paused || isUnscheduled(job)) {
      await this.remove(job.job_id);
      return;
    }
    const data: ScheduledRunData = { job_id: job.job_id, job: runSnapshot(job), rev: job.revision };
    const queue = await this.queues.forWriting(job.worker_tags);
    await queue.upsertJobScheduler(
      schedulerIdFor(job.job_id),
      { pattern: schedulePattern(job), tz: job.timezone },
      { name: SCHEDULED_RUN, data, opts: { removeOnComplete: true, removeOnFail: 1000 } },
    );
    // A job whose worker tags changed leaves its old queue (a no-op in every queue it was not in).
    await this.removeFrom(
      job.job_id,
      (await this.queues.all()).filter((other) => other !== queue),
    );
  }

  async remove(jobId: string): Promise<void> {
    await this.removeFrom(jobId, await this.queues.all());
  }

  private async removeFrom(jobId: string, queues: readonly Queue[]): Promise<void> {
    await Promise.all(queues.map((queue) => queue.removeJobScheduler(schedulerIdFor(jobId))));
  }

  /**
   * Upserts the jobs whose scheduler looked missing or different, each checked again first: the list was
   * read a page at a time while fires moved schedulers around in it, and upserting a scheduler whose fire is
   * waiting in the queue replaces that fire with the next one (a lost fire). Returns how many were in fact
   * unchanged.
   */
  private async upsertChanged(jobs: readonly StoredJob[]): Promise<number> {
    const upserted = await Promise.all(
      jobs.map(async (job) => {
        const now = await this.queues.of(job.worker_tags).getJobScheduler(schedulerIdFor(job.job_id));
        if (now && sameScheduler(describe(now), job)) return 0;
        await this.upsert(job);
        return 1;
      }),
    );
    return jobs.length - upserted.reduce<number>((sum, n) => sum + n, 0);
  }

  /**
   * Each scheduler's schedule, keyed by queue name and id: read a page at a time, keeping only what the
   * comparison needs.
   */
  private async existingSchedulers(queues: readonly Queue[]): Promise<Map<string, Map<string, SchedulerShape>>> {
    const existing = new Map<string, Map<string, SchedulerShape>>();
    const page = 1000;
    for (const queue of queues) {
      const inQueue = new Map<string, SchedulerShape>();
      existing.set(queue.name, inQueue);
      for (let start = 0; ; start += page) {
        const schedulers = await queue.getJobSchedulers(start, start + page - 1, true);
        for (const scheduler of schedulers) inQueue.set(scheduler.key, describe(scheduler));
        if (schedulers.length < page) break;
      }
    }
    return existing;
  }

  /**
   * Upserts what is missing or different and removes schedulers with no active job. Several API processes
   * may call this at once: a Redis lock lets one do it, and upserting only on a difference avoids the
   * boot-time upsert storms that have stalled BullMQ schedulers. Returns null when another holds the lock.
   */
  async reconcile(
    activeJobs: AsyncIterable<StoredJob> | Iterable<StoredJob>,
    lockMs = 30_000,
  ): Promise<ReconcileReport | null> {
    return withRedisLock(this.redis, `${this.prefix}:reconcile-lock`, lockMs, async () => {
      const markBefore = await this.redis.get(this.markKey);
      // Tag sets are noted in Redis again as jobs are upserted: after Redis lost its data, workers must find them.
      this.queues.forgetNoted();
      const queues = await this.queues.all();
      const existing = await this.existingSchedulers(queues);
      const report: ReconcileReport = { upserted: 0, removed: 0, unchanged: 0, lost: markBefore === null };
      /** Each wanted scheduler as `queue name` + NUL + `scheduler id`: anything else is stale. */
      const wanted = new Set<string>();
      const noted = new Set<string>();
      // Written a few at a time, so their round trips overlap, while the jobs stream in.
      let changed: StoredJob[] = [];
      let seen = 0;
      for await (const job of activeJobs) {
        seen++;
        const id = schedulerIdFor(job.job_id);
        const queueName = runQueueName(job.worker_tags ?? []);
        wanted.add(`${queueName}\0${id}`);
        if (!noted.has(queueName)) {
          noted.add(queueName);
          await this.queues.forWriting(job.worker_tags);
        }
        const have = existing.get(queueName)?.get(id);
        // A schedule that never fires has no scheduler (BullMQ makes none): nothing to upsert, nothing lost.
        if ((have && sameScheduler(have, job)) || triggerFor(job).nextFireTime(Date.now()) === null) {
          report.unchanged++;
          continue;
        }
        changed.push(job);
        if (changed.length === RECONCILE_PARALLEL) {
          report.unchanged += await this.upsertChanged(changed);
          changed = [];
        }
      }
      report.unchanged += await this.upsertChanged(changed);
      // Schedulers of jobs no longer active, and of jobs whose worker tags route them to another queue.
      const stale = queues.flatMap((queue) =>
        [...(existing.get(queue.name)?.keys() ?? [])]
          .filter((id) => !wanted.has(`${queue.name}\0${id}`) && jobIdOfScheduler(id) !== null)
          .map((id) => ({ queue, id })),
      );
      for (let first = 0; first < stale.length; first += RECONCILE_PARALLEL) {
        await Promise.all(
          stale.slice(first, first + RECONCILE_PARALLEL).map(({ queue, id }) => queue.removeJobScheduler(id)),
        );
      }
      report.removed = stale.length;
      report.upserted = seen - report.unchanged;
      // Gone since the start: lost during the pass, after some schedulers were read as present.
      if ((await this.redis.get(this.markKey)) !== markBefore) report.lost = true;
      await this.redis.set(this.markKey, String(Date.now()));
      return report;
    });
  }
}

/** What the comparison with a job needs of a scheduler: its schedule, and the revision its fires carry. */
interface SchedulerShape {
  pattern: string | null;
  tz: string | null;
  rev: number | null;
}

function describe(scheduler: {
  pattern?: string | null;
  tz?: string | null;
  template?: { data?: unknown };
}): SchedulerShape {
  const rev = (scheduler.template?.data as ScheduledRunData | undefined)?.rev;
  return { pattern: scheduler.pattern ?? null, tz: scheduler.tz ?? null, rev: typeof rev === 'number' ? rev : null };
}

function sameScheduler(have: SchedulerShape, job: StoredJob): boolean {
  return have.pattern === schedulePattern(job) && have.tz === job.timezone && have.rev === job.revision;
}

/** How many scheduler writes a reconcile keeps in flight. */
const RECONCILE_PARALLEL = 32;

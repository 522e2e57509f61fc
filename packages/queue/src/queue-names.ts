import type { JobSummary } from '@tickwork/domain';

/** The BullMQ queue every run of a job without worker_tags goes through, under QUEUE_PREFIX. */
export const QUEUE_NAME = 'runs';

/**
 * The queue of the runs of jobs with worker tags (normalized: sorted, unique): one per distinct tag set,
 * `runs@backup,eu`, consumed only by workers having all of them. No tags: the base queue. (BullMQ refuses
 * ':' in a queue name; tags are [a-z0-9_-], so '@' and ',' cannot be confused with them.)
 */
export function runQueueName(tags: readonly string[]): string {
  return tags.length === 0 ? QUEUE_NAME : `${QUEUE_NAME}@${tags.join(',')}`;
}

/** The tag sets a worker with `workerTags` consumes, of those in use: each one all of whose tags it has. */
export function servedTagSets(workerTags: readonly string[], inUse: ReadonlyArray<readonly string[]>): string[][] {
  const have = new Set(workerTags);
  return inUse.filter((set) => set.length > 0 && set.every((tag) => have.has(tag))).map((set) => [...set]);
}

/**
 * BullMQ job names: a fire of a job's scheduler; a run-now request; a re-run of a failed fire (the job's
 * `retries`). The last two run an execution already recorded as `scheduled`.
 */
export const SCHEDULED_RUN = 'scheduled';
export const MANUAL_RUN = 'manual';
export const RETRY_RUN = 'retry';
/** A fire the scheduler skipped because its predecessor was picked up late (JOB_COALESCE=false). */
export const BACKFILL_RUN = 'backfill';

/** Scheduler ids carry no ':' and are never all digits (BullMQ treats both specially). */
export function schedulerIdFor(jobId: string): string {
  return `job_${jobId}`;
}

export function jobIdOfScheduler(schedulerId: string): string | null {
  return schedulerId.startsWith('job_') ? schedulerId.slice(4) : null;
}

/** One queue entry per recorded run and attempt, so queueing it again (a retried request, a sweep) is a no-op. */
export function recordedRunIdFor(executionId: string, attempt: number): string {
  return attempt <= 1 ? `manual-${executionId}` : `retry-${executionId}-${attempt - 1}`;
}

/**
 * A scheduler's fire carries the job as it was at `rev` (its revision when the scheduler was written): the
 * worker runs it without reading the store while `rev` is still the job's current one (JobChangeFeed).
 */
export interface ScheduledRunData {
  job_id: string;
  job?: JobSummary;
  rev?: number;
}

/** A run-now or a retry of an execution recorded as waiting: what its worker needs to claim and run it. */
export interface RecordedRunData {
  job_id: string;
  execution_id: string;
  /** The attempt it runs (1 for a run-now). */
  attempt: number;
  scheduled_time: number;
  /** The job as the execution recorded it. */
  job: JobSummary;
}

export interface BackfillRunData extends ScheduledRunData {
  /** The skipped fire time, in ms. */
  fire_ms: number;
}

export function backfillRunIdFor(jobId: string, fireMs: number): string {
  return `backfill-${jobId}-${fireMs}`;
}

import { ExecutionState } from './execution-state.js';
import type { JobRunOptions } from './job-definition.js';

/** An attempt that failed and was run again: kept on the execution record, oldest first. */
export interface EndedAttempt {
  hostname: string;
  pid: number;
  state: ExecutionState;
  description: string;
  result: string;
  started_time: Date | null;
  ended_time: Date;
}

export interface RetryPlan {
  /** Which re-run this is: 1 for the first. */
  number: number;
  delayMs: number;
}

const MAX_DELAY_MS = 24 * 3600 * 1000;

/**
 * Whether a fire whose attempt just failed runs again, and when: `earlierAttempts` is how many attempts of
 * it had already been retried before this one. Exponential backoff from retry_backoff_sec, capped at a day.
 */
export function nextRetry(
  job: Pick<JobRunOptions, 'retries' | 'retry_backoff_sec'>,
  earlierAttempts: number,
): RetryPlan | null {
  const number = earlierAttempts + 1;
  if (number > (job.retries ?? 0)) return null;
  const delayMs = Math.min(MAX_DELAY_MS, (job.retry_backoff_sec ?? 0) * 1000 * 2 ** (number - 1));
  return { number, delayMs };
}

/** The description a retried record carries while it waits for its next attempt. */
export function retryDescription(plan: RetryPlan, retries: number, failure: string): string {
  return `attempt ${plan.number} of ${retries + 1} failed (${failure}); running again in ${Math.round(plan.delayMs / 1000)} s`;
}

/** What a failed attempt's record becomes when the fire runs again: the attempt kept, the wait described. */
export interface RetryStep extends RetryPlan {
  ended: EndedAttempt;
  description: string;
  runAfter: Date;
}

/**
 * The retry of a fire whose attempt just failed (the job failed, or its worker was lost), or null when the
 * job has no retry left: one answer for the worker and the reaper alike.
 */
export function retryStep(
  job: Pick<JobRunOptions, 'retries' | 'retry_backoff_sec'>,
  earlierAttempts: number,
  failed: Omit<EndedAttempt, 'state' | 'ended_time'>,
  now = Date.now(),
): RetryStep | null {
  const plan = nextRetry(job, earlierAttempts);
  if (!plan) return null;
  return {
    ...plan,
    ended: { ...failed, state: ExecutionState.failed, ended_time: new Date(now) },
    description: retryDescription(plan, job.retries ?? 0, failed.description),
    runAfter: new Date(now + plan.delayMs),
  };
}

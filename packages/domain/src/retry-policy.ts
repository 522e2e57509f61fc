import type { ExecutionState } from './execution-state.js';
import type { JobSettings } from './job-definition.js';

/** An attempt that failed and was run again: kept on the execution record, oldest first. */
export interface EndedAttempt {
  hostname: string;
  pid: number;
  state: ExecutionState;
  description: string;
  result: string;
  /** When the attempt began and ended (ms). */
  started_time: number | null;
  ended_time: number;
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
  job: Pick<JobSettings, 'retries' | 'retry_backoff_sec'>,
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

/**
 * When a fire whose attempt `attempt` just failed (the job failed, or its worker was lost) runs again, or
 * null when the job has no retry left: one answer for the worker and the reaper alike.
 */
export function retryAt(
  job: Pick<JobSettings, 'retries' | 'retry_backoff_sec'>,
  attempt: number,
  now: number,
): number | null {
  const plan = nextRetry(job, attempt - 1);
  return plan ? now + plan.delayMs : null;
}

import { createHash } from 'node:crypto';

/**
 * The execution id of a job's fire at `fireMs`: the same on every worker, so the fire's record has one
 * possible `_id` and a fire delivered twice (two workers, a stall, a backfill) is refused by the store's
 * unique index at its first write. 32 lowercase hex digits, like every ndscheduler id.
 */
export function fireExecutionId(jobId: string, fireMs: number): string {
  return createHash('sha256').update(`${jobId}@${fireMs}`).digest('hex').slice(0, 32);
}

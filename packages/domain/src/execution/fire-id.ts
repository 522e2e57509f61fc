import { sha256Hex } from './sha256.js';

/**
 * The execution id of a job's fire at `fireMs`: the same on every worker, so the fire's record has one
 * possible `_id` and a fire delivered twice (two workers, a stall, a backfill) is refused by the store's
 * unique index at its first write. 32 lowercase hex digits, like every ndscheduler id.
 */
export function fireExecutionId(jobId: string, fireMs: number): string {
  return sha256Hex(`${jobId}@${fireMs}`).slice(0, 32);
}

/**
 * Executions and audit entries are filed under the 10-minute bucket and the day of their time (an
 * execution's scheduled_time, an entry's created_time), so a time range becomes a few equality look-ups:
 * FerretDB hands an equality to its backend's index, but never a range (it reads the whole collection).
 */
export const BUCKET_MS = 10 * 60_000;
export const DAY_MS = 24 * 3600_000;

export function bucketOf(ms: number): number {
  return Math.floor(ms / BUCKET_MS);
}

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** One look-up: every document filed under this day or this 10-minute bucket. */
export type BucketKey = { day: number } | { bucket: number };

/**
 * The fewest look-ups that cover [start, end] (ms): whole days inside it, 10-minute buckets at its edges,
 * oldest first. The first and last may reach past the range: callers filter by time.
 */
export function bucketsCovering(start: number, end: number): BucketKey[] {
  const keys: BucketKey[] = [];
  let at = bucketOf(start) * BUCKET_MS;
  while (at <= end) {
    if (at % DAY_MS === 0 && at + DAY_MS - 1 <= end) {
      keys.push({ day: dayOf(at) });
      at += DAY_MS;
    } else {
      keys.push({ bucket: bucketOf(at) });
      at += BUCKET_MS;
    }
  }
  return keys;
}

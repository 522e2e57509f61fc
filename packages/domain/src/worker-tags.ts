import { MAX_WORKER_TAG_LENGTH, WORKER_TAG_PATTERN } from './job-contract.js';
import { ValidationError } from './validation-error.js';

const TAG = new RegExp(WORKER_TAG_PATTERN);

/**
 * A set of worker tags in its one stored form: each checked, duplicates dropped, sorted. Two jobs with the
 * same tags in another order then share one queue, and a PUT reordering them changes nothing. Throws a
 * ValidationError naming `field` for a tag that is not [a-z0-9_-].
 */
export function normalizeWorkerTags(tags: readonly string[], field = 'worker_tags'): string[] {
  for (const tag of tags) {
    if (typeof tag !== 'string' || !TAG.test(tag) || tag.length > MAX_WORKER_TAG_LENGTH) {
      throw new ValidationError(
        field,
        `${field}: ${JSON.stringify(tag)} is not a tag (letters a-z, digits, _ and -, at most ${MAX_WORKER_TAG_LENGTH})`,
      );
    }
  }
  return [...new Set(tags)].sort();
}

/** "backup,eu" (as WORKER_TAGS and the CLI take them) as a tag list: blanks around commas ignored. */
export function parseWorkerTags(text: string, field = 'worker_tags'): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  return normalizeWorkerTags(tags, field);
}

/** The key of a normalized tag set: its tags joined by commas ('' for none). */
export function tagSetKey(tags: readonly string[]): string {
  return normalizeWorkerTags(tags).join(',');
}

/** Whether a worker with `workerTags` may run a job needing `jobTags`: it has all of them. */
export function hasAllTags(workerTags: readonly string[], jobTags: readonly string[]): boolean {
  const have = new Set(workerTags);
  return jobTags.every((tag) => have.has(tag));
}

/**
 * Why no live worker can run a job needing `jobTags`, given each live worker's tags; null when one can.
 * Names the tags no live worker has at all, else says no one worker has them all.
 */
export function missingWorkerTags(
  jobTags: readonly string[],
  liveWorkerTags: ReadonlyArray<readonly string[]>,
): string | null {
  if (liveWorkerTags.some((tags) => hasAllTags(tags, jobTags))) return null;
  const held = new Set(liveWorkerTags.flat());
  const missing = jobTags.filter((tag) => !held.has(tag));
  return missing.length > 0
    ? `no live worker with tags: ${missing.join(', ')}`
    : `no live worker with all of the tags: ${jobTags.join(', ')}`;
}

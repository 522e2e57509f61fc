import { scheduleFromPattern, triggerFor } from '@tickwork/domain';
import type { RepeatOptions } from 'bullmq';

/**
 * BullMQ's `repeatStrategy`, set on every Queue and Worker: the scheduler's `pattern` is our schedule (see
 * schedulePattern) and the next fire comes from the same APScheduler-compatible engine that computes the
 * API's next_run_time, so the two cannot disagree. BullMQ asks for the fire strictly after `millis`.
 */
export function apschedulerRepeatStrategy(millis: number, opts: RepeatOptions): number | undefined {
  if (!opts.pattern) return undefined;
  const next = triggerFor(scheduleFromPattern(opts.pattern, opts.tz ?? 'UTC')).nextFireTime(millis + 1);
  return next ?? undefined;
}

import { formatTime, type JobDefinition, jobSummary, type ScheduleTrigger, triggerFor } from '@tickwork/domain';
import { hideNotifyUrls } from './secrets.js';

type JobView = ReturnType<typeof jobSummary> & { next_run_time: string; paused?: boolean };

/**
 * Per job object (the job catalog keeps one until the job changes): its trigger and the view last built.
 * GET /api/v1/jobs shows every job on each request; this leaves only the trigger's remembered next fire
 * to check. Views are shared: callers copy, never change them.
 */
const built = new WeakMap<JobDefinition, { trigger: ScheduleTrigger; next: number | null; view: JobView }>();

/**
 * A job as ndscheduler's API shows it; next_run_time from the engine BullMQ fires by, '' when paused (or
 * when it runs only after another; a job with `after` shows `paused` too). With
 * `hideSecrets` (a viewer asks) its notify URLs are hidden.
 */
export function jobView(job: JobDefinition, now = Date.now(), hideSecrets = false): JobView {
  const kept = built.get(job);
  const trigger = kept?.trigger ?? triggerFor(job);
  const next = job.paused ? null : trigger.nextFireTime(now);
  let view = kept?.next === next ? kept.view : undefined;
  if (!view) {
    view = Object.freeze({
      ...jobSummary(job),
      next_run_time: next === null ? '' : formatTime(next, job.timezone),
      // A chained job may be active with no next run: it says whether it is paused. Others keep their shape.
      ...(job.after ? { paused: job.paused } : {}),
    });
    built.set(job, { trigger, next, view });
  }
  return hideSecrets ? hideNotifyUrls(view) : view;
}

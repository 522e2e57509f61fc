import { formatTime, type JobDefinition, jobSummary, triggerFor } from '@tickwork/domain';
import { hideNotifyUrls } from './secrets.js';

/**
 * A job as ndscheduler's API shows it; next_run_time from the engine BullMQ fires by, '' when paused. With
 * `hideSecrets` (a viewer asks) its notify URLs are hidden.
 */
export function jobView(job: JobDefinition, now = Date.now(), hideSecrets = false) {
  const next = job.paused ? null : triggerFor(job).nextFireTime(now);
  const summary = hideSecrets ? hideNotifyUrls(jobSummary(job)) : jobSummary(job);
  return { ...summary, next_run_time: next === null ? '' : formatTime(next, job.timezone) };
}

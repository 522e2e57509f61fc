import { formatTime, type JobDefinition, jobSummary, triggerFor } from '@tickwork/domain';

/** A job as ndscheduler's API shows it; next_run_time from the engine BullMQ fires by, '' when paused. */
export function jobView(job: JobDefinition, now = Date.now()) {
  const next = job.paused ? null : triggerFor(job).nextFireTime(now);
  return { ...jobSummary(job), next_run_time: next === null ? '' : formatTime(next, job.timezone) };
}

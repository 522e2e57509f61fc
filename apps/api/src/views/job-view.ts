import { formatTime, type JobDefinition, triggerFor } from '@tickwork/domain';

/** A job as ndscheduler's API shows it; next_run_time from the engine BullMQ fires by, '' when paused. */
export function jobView(job: JobDefinition, now = Date.now()) {
  const next = job.paused ? null : triggerFor(job).nextFireTime(now);
  return {
    job_id: job.job_id,
    name: job.name,
    job_class_string: job.job_class_string,
    pub_args: job.pub_args,
    month: job.month,
    day: job.day,
    week: job.week,
    day_of_week: job.day_of_week,
    hour: job.hour,
    minute: job.minute,
    second: job.second,
    timezone: job.timezone,
    next_run_time: next === null ? '' : formatTime(next, job.timezone),
  };
}

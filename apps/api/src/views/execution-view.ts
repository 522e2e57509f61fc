import { type Execution, formatTime, jobSummary } from '@tickwork/domain';
import { hideNotifyUrls } from './secrets.js';

/**
 * An execution as ndscheduler's API shows it, with job.job_class_string beside ndscheduler's task_name. With
 * `hideSecrets` (a viewer asks) its job's notify URLs are hidden.
 */
export function executionView(execution: Execution, hideSecrets = false) {
  const job = hideSecrets ? hideNotifyUrls(jobSummary(execution.job)) : jobSummary(execution.job);
  return {
    execution_id: execution.execution_id,
    state: execution.state,
    hostname: execution.hostname,
    pid: execution.pid,
    task_id: execution.task_id,
    description: execution.description,
    result: execution.result,
    scheduled_time: formatTime(execution.scheduled_time),
    updated_time: formatTime(execution.updated_time),
    job: { ...job, task_name: execution.job.job_class_string },
    // Earlier attempts of this fire that failed and were run again (the job's `retries`), oldest first.
    attempts: execution.attempts.map((a) => ({
      state: a.state,
      hostname: a.hostname,
      pid: a.pid,
      description: a.description,
      result: a.result,
      started_time: a.started_time === null ? '' : formatTime(a.started_time),
      ended_time: formatTime(a.ended_time),
    })),
  };
}

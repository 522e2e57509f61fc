import { formatTime, jobSummary } from '@tickwork/domain';
import type { ExecutionRecord } from '@tickwork/store';

/** An execution as ndscheduler's API shows it, with job.job_class_string beside ndscheduler's task_name. */
export function executionView(execution: ExecutionRecord) {
  return {
    execution_id: execution._id,
    state: execution.state,
    hostname: execution.hostname,
    pid: execution.pid,
    task_id: execution.task_id,
    description: execution.description,
    result: execution.result,
    scheduled_time: formatTime(new Date(execution.scheduled_time).getTime()),
    updated_time: formatTime(new Date(execution.updated_time).getTime()),
    job: { ...jobSummary(execution.job), task_name: execution.job.job_class_string },
    // Earlier attempts of this fire that failed and were run again (the job's `retries`), oldest first.
    attempts: (execution.attempts ?? []).map((a) => ({
      state: a.state,
      hostname: a.hostname,
      pid: a.pid,
      description: a.description,
      result: a.result,
      started_time: a.started_time ? formatTime(new Date(a.started_time).getTime()) : '',
      ended_time: formatTime(new Date(a.ended_time).getTime()),
    })),
  };
}

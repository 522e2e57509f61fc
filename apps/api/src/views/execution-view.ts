import { formatTime } from '@tickwork/domain';
import type { ExecutionRecord } from '@tickwork/store';

/** An execution as ndscheduler's API shows it, with job.job_class_string beside ndscheduler's task_name. */
export function executionView(execution: ExecutionRecord) {
  const { job } = execution;
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
    job: {
      job_id: job.job_id,
      name: job.name,
      task_name: job.job_class_string,
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
    },
  };
}

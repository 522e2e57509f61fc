import { type Execution, formatTime, jobSummary } from '@tickwork/domain';
import { hideNotifyUrls } from './secrets.js';

type ExecutionView = ReturnType<typeof buildView>;

/**
 * Views of the execution objects the window keeps (it folds a new object on every change): GET executions
 * of the last hour shows thousands on each poll. Views are shared: callers copy, never change them.
 */
const built = new WeakMap<Execution, ExecutionView>();

/**
 * An execution as ndscheduler's API shows it, with job.job_class_string beside ndscheduler's task_name. With
 * `hideSecrets` (a viewer asks) its job's notify URLs are hidden.
 */
export function executionView(execution: Execution, hideSecrets = false): ExecutionView {
  let view = built.get(execution);
  if (!view) {
    view = Object.freeze(buildView(execution));
    built.set(execution, view);
  }
  if (!hideSecrets) return view;
  const job = hideNotifyUrls(view.job);
  return job === view.job ? view : { ...view, job };
}

function buildView(execution: Execution) {
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
    job: { ...jobSummary(execution.job), task_name: execution.job.job_class_string },
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

import { ExecutionState } from './execution-state.js';
import type { JobSummary } from './job-definition.js';

/** The end states a run is announced for. */
export const NOTIFIED_STATES: readonly ExecutionState[] = [
  ExecutionState.failed,
  ExecutionState.timeout,
  ExecutionState.scheduledError,
];

/** What a webhook receives (as JSON) when a run fails, times out or is skipped. */
export interface FailureNotice {
  event: 'execution.ended';
  execution_id: string;
  state: ExecutionState;
  description: string;
  hostname: string;
  pid: number;
  scheduled_time: string;
  job_id: string;
  job_name: string;
  job_class_string: string;
}

export interface NoticeSource {
  execution_id: string;
  state: ExecutionState;
  description: string;
  hostname: string;
  pid: number;
  scheduled_time: Date;
  job: Pick<JobSummary, 'job_id' | 'name' | 'job_class_string'>;
}

export function failureNotice(source: NoticeSource): FailureNotice {
  return {
    event: 'execution.ended',
    execution_id: source.execution_id,
    state: source.state,
    description: source.description,
    hostname: source.hostname,
    pid: source.pid,
    scheduled_time: source.scheduled_time.toISOString(),
    job_id: source.job.job_id,
    job_name: source.job.name,
    job_class_string: source.job.job_class_string,
  };
}

/** The same notice as a Slack incoming-webhook message (plain text: Slack renders no markup from it). */
export function slackMessage(notice: FailureNotice): { text: string } {
  const where = notice.hostname ? ` on ${notice.hostname} (pid ${notice.pid})` : '';
  const why = notice.description ? `: ${notice.description}` : '';
  return {
    text: `Tickwork: job "${notice.job_name}" (${notice.job_class_string}) ended ${notice.state}${where}, fire of ${notice.scheduled_time}, execution ${notice.execution_id}${why}`,
  };
}

/** The API's answers, as apps/api serves them (ndscheduler's shapes plus Tickwork's fields). */
import type { JobCronField, JobFieldValues } from '@tickwork/domain/job-contract';

export interface Session {
  user: string | null;
  role: 'viewer' | 'editor' | 'admin' | null;
  via: 'session' | 'token' | null;
  csrf_token: string | null;
}

/** The cron fields in the order the dialog shows them, smallest unit first. */
export const CRON_FIELDS = [
  'second',
  'minute',
  'hour',
  'day',
  'month',
  'day_of_week',
  'week',
] as const satisfies readonly JobCronField[];
export type CronField = JobCronField;

/** A job as the API shows it: the job contract's fields as stored (cron fields as text), its id and next run. */
export type Job = Omit<JobFieldValues, JobCronField> &
  Record<JobCronField, string> & {
    job_id: string;
    next_run_time: string;
    /** Shown for a job with `after` only: whether it is paused (its next_run_time '' does not say). */
    paused?: boolean;
  };

export interface JobClass {
  job_class_string: string;
  notes: string;
  arguments: Array<{ type: string; description: string }>;
  example_arguments: string;
}

// The states, and which of them are live, exist once: in the domain package, which the UI bundles as is.
import type { ExecutionState } from '@tickwork/domain/execution-state';

export { EXECUTION_STATES as STATES, LIVE_STATES } from '@tickwork/domain/execution-state';
export type State = ExecutionState;

export interface Attempt {
  state: string;
  hostname: string;
  pid: number;
  description: string;
  result: string;
  started_time: string;
  ended_time: string;
}

export interface Execution {
  execution_id: string;
  state: State;
  hostname: string;
  pid: number;
  task_id: string;
  description: string;
  result: string;
  scheduled_time: string;
  updated_time: string;
  job: Omit<Job, 'next_run_time'> & { task_name: string };
  attempts: Attempt[];
}

export interface OutputPage {
  output: string;
  next_offset: number;
  truncated: boolean;
  running: boolean;
}

export interface AuditEntry {
  job_id: string;
  job_name: string;
  event: string;
  user: string;
  description: string;
  created_time: string;
}

export interface Worker {
  worker_id: string;
  hostname: string;
  pid: number;
  started: string;
  concurrency: number;
  /** Its WORKER_TAGS. */
  tags: string[];
  running: number;
  job_classes: JobClass[];
  last_heartbeat: string;
}

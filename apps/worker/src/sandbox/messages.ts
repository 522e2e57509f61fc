/**
 * What a job's process is started with (its first argument, as JSON): the job classes to load, with
 * JOB_RUN_AS the user and group it switches to once they are loaded, and what its jobs may reach and use.
 */
export interface ChildSetup {
  packages: string[];
  baseDir: string;
  runAs: { uid: number; gid: number } | null;
  /** ALLOW_INTERNAL_URLS, for JobBase.fetch. */
  internalUrls: boolean | string[];
  /** JOB_MAX_MEMORY_MB for each program a job starts (JobBase.spawn), where no cgroup holds the run's memory. */
  programMemoryMb: number | null;
}

/** What the worker and a job's child process say to each other over IPC. */
export interface RunRequest {
  type: 'run';
  jobClassString: string;
  jobId: string;
  executionId: string;
  args: unknown[];
}

export type ToChild = RunRequest;

export type FromChild =
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'result'; value: unknown }
  | { type: 'error'; message: string; stack: string };

/**
 * The variable a job process sets for each run, so every program the run starts inherits it: how processes
 * that left their process group (setsid) are found again where the worker has no cgroup for the run.
 */
export const RUN_MARKER = 'TICKWORK_EXECUTION_ID';

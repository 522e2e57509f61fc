/**
 * What a job's process is started with (its first argument, as JSON): the job classes to load and, with
 * JOB_RUN_AS, the user and group it switches to once they are loaded.
 */
export interface ChildSetup {
  packages: string[];
  baseDir: string;
  runAs: { uid: number; gid: number } | null;
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

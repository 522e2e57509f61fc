/** The eight states of an execution, spelled as ndscheduler spells them. */
export const ExecutionState = {
  scheduled: 'scheduled',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
  succeeded: 'succeeded',
  timeout: 'timeout',
  scheduledError: 'scheduled error',
} as const;

export type ExecutionState = (typeof ExecutionState)[keyof typeof ExecutionState];

/** States a run never leaves: what retention may delete. */
export const FINAL_STATES: readonly ExecutionState[] = [
  ExecutionState.stopped,
  ExecutionState.failed,
  ExecutionState.succeeded,
  ExecutionState.timeout,
  ExecutionState.scheduledError,
];

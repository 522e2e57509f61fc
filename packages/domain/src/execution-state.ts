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

export const EXECUTION_STATES: readonly ExecutionState[] = Object.values(ExecutionState);

/** States after which nothing more happens to a run. */
export const FINAL_STATES: ReadonlySet<ExecutionState> = new Set([
  ExecutionState.stopped,
  ExecutionState.failed,
  ExecutionState.succeeded,
  ExecutionState.timeout,
  ExecutionState.scheduledError,
]);

// No imports: the web UI bundles this module as it is (@tickwork/domain/execution-state).

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

/** Every state, in the order a run usually meets them. */
export const EXECUTION_STATES: readonly ExecutionState[] = [
  ExecutionState.scheduled,
  ExecutionState.running,
  ExecutionState.stopping,
  ExecutionState.succeeded,
  ExecutionState.failed,
  ExecutionState.stopped,
  ExecutionState.timeout,
  ExecutionState.scheduledError,
];

/** States a run is still in: waiting for its run, running, or being stopped. */
export const LIVE_STATES: readonly ExecutionState[] = [
  ExecutionState.scheduled,
  ExecutionState.running,
  ExecutionState.stopping,
];

/** States a run never leaves. */
export const FINAL_STATES: readonly ExecutionState[] = [
  ExecutionState.stopped,
  ExecutionState.failed,
  ExecutionState.succeeded,
  ExecutionState.timeout,
  ExecutionState.scheduledError,
];

export function isLiveState(state: string): boolean {
  return (LIVE_STATES as readonly string[]).includes(state);
}

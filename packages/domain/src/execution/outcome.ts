import { ExecutionState } from '../execution-state.js';
import { pythonJsonDumps } from '../python-json.js';
import { cappedResult } from '../run-output.js';

/** Why a run was cut short by its worker. */
export type AbortReason = 'stop' | 'timeout' | 'shutdown';

/** How a run ended, as its record will say. */
export interface Outcome {
  state: ExecutionState;
  description: string;
  result: string;
}

/** What the job's process answered: its return value, or the error it threw (or died of). */
export type RunAnswer = { value: unknown } | { error: Error };

/**
 * A run's outcome from what its process answered and why (if at all) the worker cut it short. A cut-short
 * run is recorded for the cut, not for the error its killed process reported.
 */
export function runOutcome(
  answer: RunAnswer,
  abortReason: AbortReason | undefined,
  timeoutSec: number | null,
): Outcome {
  if (abortReason === 'timeout') {
    return { state: ExecutionState.timeout, description: `timed out after ${timeoutSec} s`, result: '' };
  }
  if (abortReason === 'stop') return { state: ExecutionState.stopped, description: 'stopped on request', result: '' };
  if (abortReason === 'shutdown') {
    return { state: ExecutionState.stopped, description: 'stopped: the worker shut down', result: '' };
  }
  if ('error' in answer) {
    return {
      state: ExecutionState.failed,
      description: cappedResult(answer.error.message),
      result: cappedResult(answer.error.stack ?? answer.error.message),
    };
  }
  return { state: ExecutionState.succeeded, description: '', result: cappedResult(pythonJsonDumps(answer.value)) };
}

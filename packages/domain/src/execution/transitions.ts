import { ExecutionState } from '../execution-state.js';

/** What may happen to an execution; each is one entry in its ledger. */
export const ExecutionEvent = {
  /** The execution comes to be: a fire taken at once (running), a run-now or retry waiting, or a refused fire. */
  recorded: 'recorded',
  /** A worker takes a waiting run. */
  claimed: 'claimed',
  /**
   * A run turned away before it starts: once taken (unknown class, role, no instance slot), or while it waits
   * (its queue entry could not be written).
   */
  refused: 'refused',
  /** The run ends by itself: succeeded, failed, timed out, or stopped because its worker shut down. */
  ended: 'ended',
  /** A failed attempt of a job with retries left: the execution waits for its next attempt. */
  retried: 'retried',
  /** Someone asked to stop the run; its worker kills it and records `stopped`. */
  stopRequested: 'stop requested',
  /** A run asked to stop has stopped. */
  stopped: 'stopped',
  /** The run's worker was lost: failed (or retried), or stopped when a stop had been asked. */
  lost: 'lost',
} as const;

export type ExecutionEvent = (typeof ExecutionEvent)[keyof typeof ExecutionEvent];

export interface Transition {
  /** States the event may leave; empty for `recorded`, which has none. */
  from: readonly ExecutionState[];
  /** States it may lead to. */
  to: readonly ExecutionState[];
}

const S = ExecutionState;

/**
 * The one table of what may happen to a run. Every ledger write is one of these events, taken from a state
 * it lists under `from`; the store refuses a second write that leaves the same state of the same attempt
 * (see `slotOf`), which is how each conflict — two claims, an end against a stop, an end against a lost
 * worker's close-out — has exactly one winner.
 */
export const TRANSITIONS: Readonly<Record<ExecutionEvent, Transition>> = {
  [ExecutionEvent.recorded]: { from: [], to: [S.scheduled, S.running, S.scheduledError] },
  [ExecutionEvent.claimed]: { from: [S.scheduled], to: [S.running] },
  [ExecutionEvent.refused]: { from: [S.scheduled, S.running], to: [S.scheduledError] },
  [ExecutionEvent.ended]: { from: [S.running], to: [S.succeeded, S.failed, S.timeout, S.stopped] },
  [ExecutionEvent.retried]: { from: [S.running], to: [S.scheduled] },
  [ExecutionEvent.stopRequested]: { from: [S.running], to: [S.stopping] },
  [ExecutionEvent.stopped]: { from: [S.stopping], to: [S.stopped] },
  [ExecutionEvent.lost]: { from: [S.running, S.stopping], to: [S.failed, S.scheduled, S.stopped] },
};

export class TransitionError extends Error {
  constructor(event: ExecutionEvent, from: ExecutionState | null, to: ExecutionState) {
    super(`an execution cannot go from ${from ?? 'nothing'} to ${to} by "${event}"`);
    this.name = 'TransitionError';
  }
}

/** Throws unless the table allows `event` to take an execution from `from` (null: none yet) to `to`. */
export function assertTransition(event: ExecutionEvent, from: ExecutionState | null, to: ExecutionState): void {
  const transition = TRANSITIONS[event];
  const fromOk = from === null ? transition.from.length === 0 : transition.from.includes(from);
  if (!fromOk || !transition.to.includes(to)) throw new TransitionError(event, from, to);
  // A lost run that was being stopped is stopped; a lost running one failed (or waits for its retry).
  if (event === ExecutionEvent.lost && (from === S.stopping) !== (to === S.stopped)) {
    throw new TransitionError(event, from, to);
  }
}

/**
 * The ledger entry id a transition takes: the execution id for its first entry, else the state it leaves and
 * the attempt that state belongs to. A state of an attempt is left once, so the store's unique `_id` admits
 * one writer for it and refuses any other — on MongoDB and FerretDB alike, since an insert refused by a
 * unique index is atomic on both (a conditional update is not, on FerretDB).
 */
export function slotOf(executionId: string, attempt: number, from: ExecutionState | null): string {
  return from === null ? executionId : `${executionId}.${attempt}.${from.replace(' ', '-')}`;
}

import t from 'tap';
import {
  assertTransition,
  ExecutionEvent as E,
  slotOf,
  TRANSITIONS,
  TransitionError,
} from '../../src/execution/transitions.js';
import { ExecutionState as S } from '../../src/execution-state.js';

t.test('every event leads from the states the table lists, and nowhere else', async (t) => {
  t.doesNotThrow(() => assertTransition(E.recorded, null, S.running));
  t.doesNotThrow(() => assertTransition(E.claimed, S.scheduled, S.running));
  t.doesNotThrow(() => assertTransition(E.ended, S.running, S.succeeded));
  t.doesNotThrow(() => assertTransition(E.retried, S.running, S.scheduled));
  t.doesNotThrow(() => assertTransition(E.stopRequested, S.running, S.stopping));
  t.doesNotThrow(() => assertTransition(E.stopped, S.stopping, S.stopped));
  t.doesNotThrow(() => assertTransition(E.lost, S.running, S.failed));
  t.doesNotThrow(() => assertTransition(E.lost, S.stopping, S.stopped));
  t.throws(() => assertTransition(E.claimed, S.running, S.running), TransitionError, 'a running run is not taken');
  t.throws(() => assertTransition(E.ended, S.succeeded, S.failed), TransitionError, 'an end is final');
  t.throws(() => assertTransition(E.stopRequested, S.scheduled, S.stopping), TransitionError);
  t.doesNotThrow(() => assertTransition(E.refused, S.scheduled, S.scheduledError), 'a run that could not be queued');
  t.throws(() => assertTransition(E.recorded, S.running, S.running), TransitionError, 'recorded only first');
  t.throws(() => assertTransition(E.lost, S.stopping, S.failed), TransitionError, 'a lost stop is stopped');
  t.throws(() => assertTransition(E.lost, S.running, S.stopped), TransitionError, 'a lost run failed');
});

t.test('no final state is ever left', async (t) => {
  const finals = [S.succeeded, S.failed, S.timeout, S.stopped, S.scheduledError];
  for (const [event, transition] of Object.entries(TRANSITIONS)) {
    for (const state of finals) t.notOk(transition.from.includes(state), `${event} does not leave ${state}`);
  }
});

t.test('conflicting events take the same slot, so the store admits one of them', async (t) => {
  const fromRunning = [E.ended, E.retried, E.stopRequested, E.refused, E.lost].filter((e) =>
    TRANSITIONS[e].from.includes(S.running),
  );
  t.equal(fromRunning.length, 5, 'end, retry, stop, refusal and a lost worker all leave running');
  t.equal(slotOf('x', 2, S.running), 'x.2.running', 'one slot for all of them, per attempt');
  t.not(slotOf('x', 2, S.running), slotOf('x', 3, S.running), 'a later attempt has slots of its own');
  t.equal(slotOf('x', 1, S.stopping), 'x.1.stopping', 'a stop completes, or its lost worker is closed out, once');
  t.equal(slotOf('x', 1, S.scheduled), 'x.1.scheduled', 'two workers claiming one run: one slot');
  t.equal(slotOf('x', 0, null), 'x', 'the first entry is the execution id itself');
});

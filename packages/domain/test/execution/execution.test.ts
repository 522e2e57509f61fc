import t from 'tap';
import { recordedEntry, stepEntry } from '../../src/execution/entries.js';
import { type Execution, foldExecution } from '../../src/execution/execution.js';
import type { LedgerEntry } from '../../src/execution/ledger-entry.js';
import { ExecutionEvent as E } from '../../src/execution/transitions.js';
import { ExecutionState as S } from '../../src/execution-state.js';
import type { JobSummary } from '../../src/job-definition.js';

const job: JobSummary = {
  job_id: 'j'.repeat(32),
  name: 'nightly',
  job_class_string: 'a.B',
  pub_args: [1],
  month: '*',
  day: '*',
  week: '*',
  day_of_week: '*',
  hour: '3',
  minute: '0',
  second: '0',
  timezone: 'UTC',
  timeout: null,
  misfire_grace_sec: null,
  max_instances: null,
  retries: 2,
  retry_backoff_sec: 10,
  notify_webhook_url: null,
  notify_slack_url: null,
  description: '',
  worker_tags: [],
};
const hostA = { holder: 'wA', hostname: 'a', pid: 1, task_id: 'tA' };
const hostB = { holder: 'wB', hostname: 'b', pid: 2, task_id: 'tB' };

function at(execution: Execution) {
  return {
    execution_id: execution.execution_id,
    scheduled_time: execution.scheduled_time,
    attempt: execution.attempt,
    state: execution.state,
  };
}

/** Builds a ledger step by step, folding after each, as the ledger does. */
function ledger(first: LedgerEntry) {
  const entries: LedgerEntry[] = [first];
  const now = () => foldExecution(entries) as Execution;
  return {
    entries,
    now,
    step(...args: Parameters<typeof stepEntry> extends [unknown, ...infer R] ? R : never) {
      entries.push(stepEntry(at(now()), ...args));
      return now();
    },
  };
}

t.test('a fire taken at once and run: recorded running, then ended', async (t) => {
  const l = ledger(
    recordedEntry({ execution_id: 'x', job, scheduled_time: 1000, state: S.running, holder: hostA }, 1100, 'w'),
  );
  t.match(l.now(), { state: S.running, attempt: 1, holder: 'wA', hostname: 'a', pid: 1, started_time: 1100 });
  const ended = l.step(E.ended, S.succeeded, { result: '42', output: 'hi\n' }, 1500, 'w');
  t.match(ended, {
    state: S.succeeded,
    result: '42',
    output: 'hi\n',
    holder: null,
    updated_time: 1500,
    scheduled_time: 1000,
  });
});

t.test('a run-now: waiting, claimed, ended', async (t) => {
  const l = ledger(
    recordedEntry({ execution_id: 'x', job, scheduled_time: 1000, state: S.scheduled, run_after: 1000 }, 1000, 'api'),
  );
  t.match(l.now(), { state: S.scheduled, attempt: 1, hostname: '', pid: -1, run_after: 1000 });
  t.match(l.step(E.claimed, S.running, hostB, 1200, 'w'), {
    state: S.running,
    hostname: 'b',
    holder: 'wB',
    task_id: 'tB',
  });
  t.match(l.step(E.ended, S.failed, { description: 'boom', result: 'trace' }, 1300, 'w'), {
    state: S.failed,
    description: 'boom',
    hostname: 'b',
  });
});

t.test('a retried fire keeps each failed attempt and waits for the next', async (t) => {
  const l = ledger(
    recordedEntry({ execution_id: 'x', job, scheduled_time: 0, state: S.running, holder: hostA }, 100, 'w'),
  );
  const waiting = l.step(E.retried, S.scheduled, { description: 'boom', result: 'trace', run_after: 10_200 }, 200, 'w');
  t.match(waiting, {
    state: S.scheduled,
    attempt: 2,
    run_after: 10_200,
    holder: null,
    description: 'attempt 1 of 3 failed (boom); running again in 10 s',
  });
  t.same(waiting.attempts, [
    {
      hostname: 'a',
      pid: 1,
      state: S.failed,
      description: 'boom',
      result: 'trace',
      started_time: 100,
      ended_time: 200,
    },
  ]);
  l.step(E.claimed, S.running, hostB, 10_300, 'w2');
  const lost = l.step(E.lost, S.scheduled, { description: 'lost worker b pid 2', run_after: 30_400 }, 10_400, 'api');
  t.equal(lost.attempt, 3);
  t.equal(lost.attempts.length, 2);
  t.match(lost.attempts[1], { hostname: 'b', pid: 2, description: 'lost worker b pid 2', started_time: 10_300 });
  l.step(E.claimed, S.running, hostA, 30_500, 'w');
  t.match(l.step(E.ended, S.succeeded, { result: 'ok' }, 30_600, 'w'), {
    state: S.succeeded,
    attempt: 3,
    result: 'ok',
  });
});

t.test('a stop: asked, then stopped by the worker or closed out with its lost worker', async (t) => {
  const l = ledger(
    recordedEntry({ execution_id: 'x', job, scheduled_time: 0, state: S.running, holder: hostA }, 1, 'w'),
  );
  t.match(l.step(E.stopRequested, S.stopping, { by: 'ann' }, 2, 'api'), {
    state: S.stopping,
    stop_requested_by: 'ann',
    holder: 'wA',
  });
  t.match(l.step(E.stopped, S.stopped, { description: 'stopped on request', output: 'x' }, 3, 'w'), {
    state: S.stopped,
    description: 'stopped on request',
    output: 'x',
  });
});

t.test('read in any order, the entries add up to the same execution', async (t) => {
  const l = ledger(
    recordedEntry({ execution_id: 'x', job, scheduled_time: 0, state: S.running, holder: hostA }, 1, 'w'),
  );
  l.step(E.retried, S.scheduled, { description: 'boom', run_after: 5 }, 2, 'w');
  l.step(E.claimed, S.running, hostB, 6, 'w2');
  l.step(E.stopRequested, S.stopping, { by: 'ann' }, 7, 'api');
  const expected = l.step(E.stopped, S.stopped, { description: 'stopped on request' }, 8, 'w2');
  t.same(foldExecution([...l.entries].reverse()), expected);
  t.same(
    foldExecution([l.entries[3], l.entries[0], l.entries[4], l.entries[2], l.entries[1]] as LedgerEntry[]),
    expected,
  );
});

t.test('entries off the path are not part of the execution; none without its first entry', async (t) => {
  const first = recordedEntry({ execution_id: 'x', job, scheduled_time: 0, state: S.running, holder: hostA }, 1, 'w');
  // A claim of an attempt that was never scheduled (no retry of attempt 1): not on the path.
  const stray = stepEntry(
    { execution_id: 'x', scheduled_time: 0, attempt: 2, state: S.scheduled },
    E.claimed,
    S.running,
    hostB,
    5,
    'w',
  );
  t.match(foldExecution([first, stray]), { state: S.running, attempt: 1, hostname: 'a' });
  t.equal(foldExecution([stray]), null);
});

t.test('a refused fire is recorded final, with why', async (t) => {
  const refused = recordedEntry(
    { execution_id: 'x', job, scheduled_time: 0, state: S.scheduledError, description: 'missed', result: '' },
    1,
    'w',
  );
  t.match(foldExecution([refused]), { state: S.scheduledError, description: 'missed', pid: -1, hostname: '' });
});

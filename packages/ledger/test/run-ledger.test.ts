// The ledger against the real store and Redis: one test per transition of the table, each read back as the
// API shows it. The races between processes are in ledger-races.test.ts.
import {
  bucketOf,
  chainExecutionId,
  type Execution,
  fireExecutionId,
  jobSummary,
  newJobDefinition,
  type Outcome,
  ExecutionState as S,
} from '@tickwork/domain';
import { openFleet, RunLedger } from '@tickwork/ledger';
import { createRedis, RunQueues, recordedRunIdFor } from '@tickwork/queue';
import { testEnvironment } from '@tickwork/testing';
import t from 'tap';

const environment = testEnvironment(t);
const quiet = { info() {}, warn() {}, error() {} };
const api = await openFleet(environment.config, { kind: 'api' }, quiet);
t.teardown(() => api.close());
const giveUp = new AbortController();
const worker = await openFleet(
  environment.config,
  { kind: 'worker', holder: 'worker-a', hostname: 'host-a', pid: 101, giveUp: giveUp.signal },
  quiet,
);
t.teardown(async () => {
  giveUp.abort();
  await worker.close();
});

const job = (retries = 0) =>
  jobSummary(
    newJobDefinition(
      {
        name: 'ledger',
        job_class_string: 'a.B',
        minute: '*',
        retries,
        retry_backoff_sec: 60,
        pub_args: [[1, { 'a.b': '$x' }]],
      },
      'UTC',
    ),
  );
const succeeded: Outcome = { state: S.succeeded, description: '', result: '42' };
const failed: Outcome = { state: S.failed, description: 'boom', result: 'trace' };

async function state(ledger: RunLedger, id: string): Promise<Execution> {
  const execution = await ledger.get(id);
  if (!execution) throw new Error(`no execution ${id}`);
  return execution;
}

t.test('recorded: a fire is taken once, with the worker lease in the same write', async (t) => {
  const fireMs = Date.now() - 1000;
  const first = await worker.ledger.recordFire(job(), fireMs, 'task-1', null);
  if (!('taken' in first)) throw new Error('not taken');
  const id = fireExecutionId(first.taken.job.job_id, fireMs);
  t.match(await state(api.ledger, id), { state: S.running, holder: 'worker-a', hostname: 'host-a', pid: 101 });
  t.same((await state(api.ledger, id)).job.pub_args, [[1, { 'a.b': '$x' }]], 'any JSON arguments, stored as given');
  const leases = await api.store.ledger.leases();
  t.ok(
    leases.some((l) => l.holder === 'worker-a' && l.held.includes(id)),
    'the lease names the run',
  );
  const again = await worker.ledger.recordFire(first.taken.job, fireMs, 'task-2', null);
  t.same(again, { duplicate: true }, 'the same fire delivered again is not taken again');
  t.equal(await worker.ledger.finish(first.taken, succeeded, 'out\n'), 'ended');
  t.match(await state(api.ledger, id), { state: S.succeeded, result: '42', output: 'out\n', holder: null });
});

t.test('recorded as refused: a fire that may not run is a scheduled error, once', async (t) => {
  const j = job();
  const refusal = { description: 'Run time of job was missed by 99 s (misfire grace 1 s)', result: '' };
  t.same(await worker.ledger.recordFire(j, 5000, 't', refusal), { refused: refusal });
  t.same(await worker.ledger.recordFire(j, 5000, 't', refusal), { duplicate: true });
  t.match(await state(api.ledger, fireExecutionId(j.job_id, 5000)), { state: S.scheduledError, pid: -1 });
});

t.test('claimed: a run-now is recorded waiting and queued; one worker takes it', async (t) => {
  const id = await api.ledger.queueRunNow(job());
  const waiting = await state(api.ledger, id);
  t.match(waiting, { state: S.scheduled, attempt: 1, hostname: '', pid: -1 });
  const entry = await api.runQueue.getJob(recordedRunIdFor(id, 1));
  t.ok(entry, 'its queue entry exists');
  const attempt = await worker.ledger.claim(entry?.data, 'task');
  t.ok(attempt, 'taken');
  t.equal(await worker.ledger.claim(entry?.data, 'task'), null, 'a second claim of the same attempt loses');
  t.match(await state(api.ledger, id), { state: S.running, holder: 'worker-a', task_id: 'task' });
});

t.test('refused: a taken run turned away is a scheduled error', async (t) => {
  const id = await api.ledger.queueRunNow(job());
  const attempt = await worker.ledger.claim((await api.runQueue.getJob(recordedRunIdFor(id, 1)))?.data, 't');
  if (!attempt) throw new Error('not taken');
  await worker.ledger.refuse(attempt, { description: 'No job class "a.B"', result: 'trace' });
  t.match(await state(api.ledger, id), { state: S.scheduledError, description: 'No job class "a.B"' });
});

t.test('retried, then ended: the failed attempt is kept; a stale attempt is fenced out', async (t) => {
  const fireMs = Date.now();
  const first = await worker.ledger.recordFire(job(1), fireMs, 't', null);
  if (!('taken' in first)) throw new Error('not taken');
  t.equal(await worker.ledger.finish(first.taken, failed, 'first try\n'), 'retried');
  const id = first.taken.execution_id;
  const waiting = await state(api.ledger, id);
  t.match(waiting, {
    state: S.scheduled,
    attempt: 2,
    description: /^attempt 1 of 2 failed \(boom\); running again in 60 s$/,
  });
  t.equal(waiting.attempts.length, 1);
  const retry = await api.runQueue.getJob(recordedRunIdFor(id, 2));
  t.ok(await retry?.isDelayed(), 'the retry is queued after its backoff');
  t.equal(await worker.ledger.finish(first.taken, succeeded, ''), 'fenced', 'the first attempt cannot end twice');
  const second = await worker.ledger.claim(retry?.data, 't2');
  if (!second) throw new Error('not taken');
  t.equal(second.attempt, 2);
  t.equal(await worker.ledger.finish(second, failed, ''), 'ended', 'no retries left: failed for good');
  t.match(await state(api.ledger, id), { state: S.failed, attempt: 2, attempts: [{ description: 'boom' }] });
});

t.test('stop requested, then stopped: a stop takes the end, the worker records how it stopped', async (t) => {
  const first = await worker.ledger.recordFire(job(), Date.now() + 7, 't', null);
  if (!('taken' in first)) throw new Error('not taken');
  const id = first.taken.execution_id;
  const stopping = await api.ledger.requestStop(id, 'ann');
  t.match(stopping, { state: S.stopping, stop_requested_by: 'ann' });
  await t.rejects(api.ledger.requestStop(id, 'bob'), { name: 'ExecutionStateError' }, 'not running any more');
  // The run ended by itself a moment after the stop was asked: the stop stands.
  t.equal(await worker.ledger.finish(first.taken, succeeded, 'partial\n'), 'stopped');
  t.match(await state(api.ledger, id), { state: S.stopped, description: 'stopped on request', output: 'partial\n' });
});

t.test('lost: a lost run fails naming its worker, is retried, or is stopped when a stop was asked', async (t) => {
  const plain = await worker.ledger.recordFire(job(), Date.now() + 11, 't', null);
  const retried = await worker.ledger.recordFire(job(2), Date.now() + 12, 't', null);
  const stopped = await worker.ledger.recordFire(job(), Date.now() + 13, 't', null);
  if (!('taken' in plain) || !('taken' in retried) || !('taken' in stopped)) throw new Error('not taken');
  await api.ledger.requestStop(stopped.taken.execution_id, 'ann');
  for (const run of [plain, retried, stopped]) {
    const execution = await state(api.ledger, run.taken.execution_id);
    t.ok(await api.ledger.closeOutLost(execution, 'lost worker host-a pid 101'), 'closed out');
    t.notOk(await api.ledger.closeOutLost(execution, 'lost worker host-a pid 101'), 'once');
  }
  t.match(await state(api.ledger, plain.taken.execution_id), {
    state: S.failed,
    description: 'lost worker host-a pid 101',
  });
  t.match(await state(api.ledger, retried.taken.execution_id), { state: S.scheduled, attempt: 2 });
  t.ok(await api.runQueue.getJob(recordedRunIdFor(retried.taken.execution_id, 2)), 'its next attempt is queued');
  t.match(await state(api.ledger, stopped.taken.execution_id), { state: S.stopped });
  t.equal(await worker.ledger.finish(plain.taken, succeeded, ''), 'fenced', "the lost worker's late end is refused");
});

t.test('an end the store refuses (not an outage) is recorded failed, saying why', async (t) => {
  const fired = await worker.ledger.recordFire(job(1), Date.now() + 21, 't', null);
  if (!('taken' in fired)) throw new Error('not taken');
  // Past the 16 MB a document may hold: no cap of ours lets this through, but a job of one's own might try.
  t.equal(await worker.ledger.finish(fired.taken, succeeded, 'x'.repeat(17 * 1024 * 1024)), 'ended');
  t.match(await state(api.ledger, fired.taken.execution_id), {
    state: S.failed,
    attempt: 1,
    description: /^the run's end could not be recorded: /,
  });
});

t.test('a run-now Redis does not take in time is given up, saying so', async (t) => {
  // A queue on a Redis that is not there: ioredis keeps the command, waiting for it, past the deadline.
  const nowhere = createRedis('redis://127.0.0.1:1');
  t.teardown(() => nowhere.disconnect());
  const ledger = new RunLedger({
    store: api.store,
    runQueues: new RunQueues(nowhere, environment.config.queuePrefix),
    ends: api.ends,
    log: quiet,
    enqueueDeadlineMs: 300,
  });
  await t.rejects(ledger.queueRunNow(job()), { name: 'RedisUnavailableError' });
  const page = await api.history.between(Date.now() - 60_000, Date.now(), 1000);
  t.ok(
    page.items.some((e) => e.state === S.scheduledError && /^not queued: Redis did not answer/.test(e.description)),
    'recorded as a scheduled error',
  );
});

t.test("a run's end: no store command more for a job nobody waits for; one insert per chained run", async (t) => {
  const sent: string[] = [];
  const client = worker.store.connection.getClient();
  const listen = (e: { commandName: string; command: Record<string, unknown> }) => {
    if (['insert', 'find', 'update', 'delete', 'aggregate', 'count'].includes(e.commandName)) {
      sent.push(`${e.commandName} ${String(e.command[e.commandName])}`);
    }
  };
  const endOf = async (summary: ReturnType<typeof job>) => {
    const fire = await worker.ledger.recordFire(summary, Date.now() - 500, 'task-end', null);
    if (!('taken' in fire)) throw new Error('not taken');
    sent.length = 0;
    client.on('commandStarted', listen);
    try {
      t.equal(await worker.ledger.finish(fire.taken, succeeded, ''), 'ended');
    } finally {
      client.off('commandStarted', listen);
    }
    return fire.taken.execution_id;
  };

  await endOf(job());
  t.same(sent, ['insert execution_ledger'], 'unchained: its end, and nothing else');

  const up = job();
  const down = jobSummary(
    newJobDefinition({ name: 'down', job_class_string: 'a.B', after: { job_id: up.job_id, on: 'succeeded' } }, 'UTC'),
  );
  await worker.jobChanges.invalidate(down.job_id, 5);
  await worker.chains.set(up.job_id, [{ job: down, rev: 5 }]);
  const upRun = await endOf(up);
  t.same(sent, ['insert execution_ledger', 'insert execution_ledger'], 'chained: its end, and the chained run');
  const chained = chainExecutionId(down.job_id, upRun);
  t.match(await state(api.ledger, chained), {
    state: S.scheduled,
    description: `after execution ${upRun} of job ${up.job_id} (succeeded)`,
    job: { job_id: down.job_id },
  });
  t.ok(await worker.runQueue.getJob(recordedRunIdFor(chained, 1)), 'and queued');
  const marked = (await api.store.ledger.chainedEndsIn(bucketOf(Date.now()))).find(
    (m) => m.entry.execution_id === upRun,
  );
  t.equal(marked?.job_id, up.job_id, 'the end is filed for the catch-up');
  const again = await worker.ledger.runChained(up.job_id, marked?.entry as never, [{ job: down, rev: 5 }]);
  t.same(again, ['exists'], 'tried again (the catch-up): one record');

  // A failure that is retried is no end: nothing waiting on failed runs until the last attempt fails.
  const flaky = job(1);
  const onFailed = jobSummary(
    newJobDefinition(
      { name: 'on failed', job_class_string: 'a.B', after: { job_id: flaky.job_id, on: 'failed' } },
      'UTC',
    ),
  );
  await worker.jobChanges.invalidate(onFailed.job_id, 7);
  await worker.chains.set(flaky.job_id, [{ job: onFailed, rev: 7 }]);
  const fire = await worker.ledger.recordFire(flaky, Date.now() - 500, 'task-flaky', null);
  if (!('taken' in fire)) throw new Error('not taken');
  t.equal(await worker.ledger.finish(fire.taken, failed, ''), 'retried');
  t.equal(await api.ledger.get(chainExecutionId(onFailed.job_id, fire.taken.execution_id)), null, 'not after a retry');
  const second = await worker.ledger.claim(
    {
      job_id: flaky.job_id,
      execution_id: fire.taken.execution_id,
      attempt: 2,
      scheduled_time: fire.taken.scheduled_time,
      job: flaky,
    },
    'task-flaky-2',
  );
  if (!second) throw new Error('not claimed');
  t.equal(await worker.ledger.finish(second, failed, ''), 'ended');
  t.match(await state(api.ledger, chainExecutionId(onFailed.job_id, fire.taken.execution_id)), { state: S.scheduled });
});

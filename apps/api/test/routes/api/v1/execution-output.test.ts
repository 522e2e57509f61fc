import {
  ExecutionEvent,
  ExecutionState,
  jobSummary,
  newId,
  OUTPUT_CUT_NOTE,
  recordedEntry,
  stepEntry,
} from '@tickwork/domain';
import { testEnvironment, waitFor } from '@tickwork/testing';
import { startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
await startWorker(t, environment);
const SHELL = 'simple_scheduler.jobs.shell_job.ShellJob';

async function runNow(pub_args: unknown[]): Promise<string> {
  const job = { name: 'out', job_class_string: SHELL, pub_args, hour: '0' };
  const jobId = (await api.request('POST', '/api/v1/jobs', job)).body.job_id;
  return (await api.request('POST', `/api/v1/executions/${jobId}`)).body.execution_id;
}

async function ended(executionId: string, states = ['succeeded', 'failed', 'stopped']) {
  return waitFor(`execution ${executionId} to end`, async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${executionId}`);
    return states.includes(body.state) ? body : undefined;
  });
}

t.test("ShellJob's stdout and stderr are kept with the execution, readable from an offset", async (t) => {
  const id = await runNow(['/bin/sh', '-c', 'echo one; echo two >&2']);
  t.equal((await ended(id)).state, 'succeeded');
  const res = await api.request('GET', `/api/v1/executions/${id}/output`);
  t.equal(res.status, 200);
  t.match(res.body, { running: false, truncated: false });
  t.match(res.body.output, /^one\n/m);
  t.match(res.body.output, /^\[warn\] two\n/m);
  t.equal(res.body.next_offset, Buffer.byteLength(res.body.output));
  const rest = await api.request('GET', `/api/v1/executions/${id}/output?offset=${res.body.next_offset}`);
  t.same(rest.body, { output: '', next_offset: res.body.next_offset, truncated: false, running: false });
  const key = `${environment.config.queuePrefix}:output:${id}`;
  await waitFor('the streamed copy to be dropped', async () => (await api.app.redis.exists(key)) === 0);
  const list = await api.request('GET', '/api/v1/executions');
  const listed = list.body.executions.find((e: { execution_id: string }) => e.execution_id === id);
  t.ok(listed, 'listed');
  t.notOk('output' in listed, 'lists carry no output');
});

t.test('output streams while the run goes on, and stays after a stop', async (t) => {
  const id = await runNow(['/bin/sh', '-c', 'echo started; exec sleep 60']);
  const live = await waitFor('the first line while running', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${id}/output`);
    return body.output.includes('started') ? body : undefined;
  });
  t.equal(live.running, true);
  const more = await api.request('GET', `/api/v1/executions/${id}/output?offset=${live.next_offset}`);
  t.same([more.body.output, more.body.running], ['', true], 'nothing new from the offset');
  t.equal((await api.request('DELETE', `/api/v1/executions/${id}`)).status, 200);
  t.equal((await ended(id, ['stopped'])).state, 'stopped');
  const after = await api.request('GET', `/api/v1/executions/${id}/output`);
  t.match(after.body, { output: 'started\n', running: false, truncated: false });
});

t.test('output past 256 KB is cut, with a note', async (t) => {
  const id = await runNow(['/bin/sh', '-c', "head -c 400000 /dev/zero | tr '\\0' a"]);
  await ended(id);
  const { body } = await api.request('GET', `/api/v1/executions/${id}/output`);
  t.equal(body.truncated, true);
  t.ok(body.output.endsWith(OUTPUT_CUT_NOTE), 'ends with the note');
  t.equal(Buffer.byteLength(body.output), 256 * 1024 + Buffer.byteLength(OUTPUT_CUT_NOTE));
});

t.test('bad requests are 400s that say why', async (t) => {
  const unknown = await api.request('GET', `/api/v1/executions/${'0'.repeat(32)}/output`);
  t.same([unknown.status, unknown.body], [400, { error: `Execution not found: ${'0'.repeat(32)}` }]);
  const bad = await api.request('GET', `/api/v1/executions/${'0'.repeat(32)}/output?offset=-1`);
  t.equal(bad.status, 400);
  t.match(bad.body.error, /offset/);
  t.equal((await api.request('GET', '/api/v1/executions/nope/output')).status, 400);
});

t.test('a run whose worker died before its final write still shows what it streamed', async (t) => {
  const jobId = (
    await api.request('POST', '/api/v1/jobs', { name: 'lost', job_class_string: SHELL, pub_args: [], hour: '0' })
  ).body.job_id;
  const job = jobSummary((await api.request('GET', `/api/v1/jobs/${jobId}`)).body);
  const id = newId();
  // As the reaper leaves it: failed, no output on the record; the streamed copy is still in Redis.
  const holder = { holder: 'gone', hostname: 'h', pid: 1, task_id: '' };
  const started = recordedEntry(
    { execution_id: id, job, scheduled_time: Date.now(), state: ExecutionState.running, holder },
    Date.now(),
    newId(),
  );
  await api.app.store.ledger.append(started);
  await api.app.store.ledger.append(
    stepEntry(
      { ...started, attempt: 1, state: ExecutionState.running },
      ExecutionEvent.lost,
      ExecutionState.failed,
      { description: 'lost worker h pid 1' },
      Date.now(),
      newId(),
    ),
  );
  await api.app.runOutput.append(id, 'half a run\n');
  const res = await api.request('GET', `/api/v1/executions/${id}/output`);
  t.same(res.body, { output: 'half a run\n', next_offset: 11, truncated: false, running: false });
});

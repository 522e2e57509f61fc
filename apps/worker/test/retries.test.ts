// Opt-in retries: a failed fire runs again after its backoff, each attempt kept on the one record; a fire
// whose worker died is re-run elsewhere when the job asks for it. Real worker processes, the real API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const fixtures = ['flaky-jobs.mjs', 'misbehaving-jobs.mjs'].map((f) =>
  fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url)),
);
const environment = testEnvironment(t, {
  JOB_CLASS_PACKAGES: ['@tickwork/sample-jobs', ...fixtures].join(','),
  REAPER_INTERVAL_SEC: '1',
  EXECUTION_LEASE_SEC: '3',
});
const api = await startApi(t, environment);
const markers = mkdtempSync(join(tmpdir(), 'tickwork-retries-'));
t.teardown(() => rmSync(markers, { recursive: true, force: true }));

async function runNow(body: Record<string, unknown>): Promise<string> {
  const created = await api.request('POST', '/api/v1/jobs', { name: 'retried', hour: '0', ...body });
  if (created.status !== 201) throw new Error(created.text);
  return (await api.request('POST', `/api/v1/executions/${created.body.job_id}`)).body.execution_id;
}

async function finished(executionId: string) {
  return waitFor(
    'the run to end',
    async () => {
      const { body } = await api.request('GET', `/api/v1/executions/${executionId}`);
      return ['succeeded', 'failed', 'timeout', 'stopped'].includes(body.state) ? body : undefined;
    },
    60_000,
  );
}

t.test('retries are opt-in and checked', async (t) => {
  const bad = await api.request('POST', '/api/v1/jobs', {
    name: 'x',
    job_class_string: 'a.B',
    hour: '0',
    retries: -1,
  });
  t.equal(bad.status, 400);
  t.match(bad.body.error, /retries/);
  const { body } = await api.request('POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B', hour: '0' });
  const job = (await api.request('GET', `/api/v1/jobs/${body.job_id}`)).body;
  t.match(job, { retries: 0, retry_backoff_sec: 10 }, 'no retries unless asked: cron semantics');
});

t.test('with a worker running', async (t) => {
  const worker = await spawnWorker(t, environment);

  t.test('a job failing every time runs 1 + retries times, then ends failed with each attempt kept', async (t) => {
    const id = await runNow({ job_class_string: 'misbehaving.Throws', retries: 2, retry_backoff_sec: 1 });
    const waiting = await waitFor('the first retry to be scheduled', async () => {
      const { body } = await api.request('GET', `/api/v1/executions/${id}`);
      return body.state === 'scheduled' && body.attempts.length === 1 ? body : undefined;
    });
    t.match(waiting.description, /^attempt 1 of 3 failed \(thrown on purpose\); running again in 1 s$/);
    const end = await finished(id);
    t.equal(end.state, 'failed');
    t.equal(end.description, 'thrown on purpose');
    t.equal(end.attempts.length, 2, 'two earlier attempts, the record itself is the third');
    for (const attempt of end.attempts) {
      t.match(attempt, { state: 'failed', description: 'thrown on purpose', pid: worker.pid });
      t.ok(Date.parse(attempt.ended_time) >= Date.parse(attempt.started_time));
    }
    const first = Date.parse(end.attempts[1].started_time) - Date.parse(end.attempts[0].ended_time);
    t.ok(first >= 1000, `the first re-run waited its backoff (${first} ms)`);
    const second = Date.parse(end.updated_time) - Date.parse(end.attempts[1].ended_time);
    t.ok(second >= 2000, `the second re-run waited twice as long (${second} ms)`);
  });

  t.test('a job failing once succeeds on its retry', async (t) => {
    const marker = join(markers, 'fails-once');
    const id = await runNow({
      job_class_string: 'flaky.FailsOnce',
      pub_args: [marker],
      retries: 3,
      retry_backoff_sec: 0,
    });
    const end = await finished(id);
    t.match(end, { state: 'succeeded', result: '"second attempt worked"' });
    t.equal(end.attempts.length, 1);
    t.match(end.attempts[0], { state: 'failed', description: 'first attempt fails on purpose' });
  });

  t.test('without retries a failure is final at once', async (t) => {
    const end = await finished(await runNow({ job_class_string: 'misbehaving.Throws' }));
    t.match(end, { state: 'failed', attempts: [] });
  });
});

t.test('a fire whose worker was killed is re-run on another worker when the job has retries', async (t) => {
  const doomed = await spawnWorker(t, environment);
  const id = await runNow({
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: ['sleep', '2.25'],
    retries: 1,
    retry_backoff_sec: 0,
  });
  await waitFor('the run to be running on the doomed worker', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${id}`);
    return body.state === 'running' && body.pid === doomed.pid;
  });
  doomed.child.kill('SIGKILL');
  const survivor = await spawnWorker(t, environment);
  const end = await finished(id);
  t.match(end, { state: 'succeeded', pid: survivor.pid });
  t.equal(end.attempts.length, 1);
  t.match(end.attempts[0], {
    state: 'failed',
    pid: doomed.pid,
    description: new RegExp(`^lost worker .* pid ${doomed.pid}: no heartbeat since`),
  });
});

// Scheduled fires end to end: the API in this process, two real worker processes, real Redis and
// MongoDB-wire. Each fire must give exactly one execution record, run once, on whichever worker.
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { type ApiAnswer, startApi } from '@tickwork/testkit';
import t, { type Test } from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
const workers = await Promise.all([spawnWorker(t, environment), spawnWorker(t, environment)]);
const workerPids = workers.map((w) => w.pid);

interface Execution {
  execution_id: string;
  state: string;
  pid: number;
  hostname: string;
  result: string;
  scheduled_time: string;
  job: { job_id: string };
}

async function executionsOf(jobId: string): Promise<Execution[]> {
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const res: ApiAnswer = await api.request('GET', `/api/v1/executions?time_range_start=${start}&time_range_end=${end}`);
  return (res.body.executions as Execution[])
    .filter((e) => e.job.job_id === jobId)
    .sort((a, b) => Date.parse(a.scheduled_time) - Date.parse(b.scheduled_time));
}

async function createJob(fields: Record<string, string>, pub_args: unknown[]): Promise<string> {
  const res = await api.request('POST', '/api/v1/jobs', {
    name: 'scheduled',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    pub_args,
    ...fields,
  });
  return res.body.job_id;
}

function assertOncePerFire(t: Test, executions: Execution[], stepMs: number, pub_args: unknown[]) {
  const times = executions.map((e) => Date.parse(e.scheduled_time));
  t.equal(new Set(times).size, times.length, 'one record per fire time');
  for (const time of times) t.equal(time % stepMs, 0, `scheduled_time ${new Date(time).toISOString()} is on the fire`);
  for (const e of executions.filter((x) => x.state !== 'running')) {
    t.equal(e.state, 'succeeded');
    t.equal(e.result, JSON.stringify(pub_args, null, 4));
    t.ok(workerPids.includes(e.pid), `run by one of the worker processes (pid ${e.pid})`);
  }
}

t.test('workers log their hostname and pid at start', async (t) => {
  for (const worker of workers) {
    const line = worker.output.find((l) => l.includes('worker started')) as string;
    t.match(JSON.parse(line), { pid: worker.pid, hostname: /.+/ });
  }
});

t.test('a second-field job fires once per fire time; paused it stops, resumed it fires again', async (t) => {
  const args = ['every', 2];
  const jobId = await createJob({ second: '*/2' }, args);
  const control = await createJob({ second: '*/2' }, ['control', 0]);

  await waitFor('three fires', async () => (await executionsOf(jobId)).length >= 3, 30_000);
  t.equal((await api.request('PATCH', `/api/v1/jobs/${jobId}`)).status, 200);
  const pausedAt = Date.now();

  // Two fires of the still-active control job after the pause prove that fire times went by.
  await waitFor(
    'two control fires after the pause',
    async () => (await executionsOf(control)).filter((e) => Date.parse(e.scheduled_time) > pausedAt + 1000).length >= 2,
    30_000,
  );
  const whilePaused = await executionsOf(jobId);
  t.same(
    whilePaused.filter((e) => Date.parse(e.scheduled_time) > pausedAt + 1000),
    [],
    'no fire while paused',
  );

  t.equal((await api.request('OPTIONS', `/api/v1/jobs/${jobId}`)).status, 200);
  const resumedAt = Date.now();
  await waitFor(
    'a fire after resume',
    async () =>
      (await executionsOf(jobId)).some((e) => Date.parse(e.scheduled_time) >= resumedAt && e.state === 'succeeded'),
    30_000,
  );
  await api.request('DELETE', `/api/v1/jobs/${jobId}`);
  await api.request('DELETE', `/api/v1/jobs/${control}`);

  const all = await waitFor('no run left running', async () => {
    const list = await executionsOf(jobId);
    return list.every((e) => e.state !== 'running' && e.state !== 'scheduled') ? list : undefined;
  });
  assertOncePerFire(t, all, 2000, args);
  assertOncePerFire(t, await executionsOf(control), 2000, ['control', 0]);
});

t.test('a "minute": "*/1" job fires on its own at the next minute, once', async (t) => {
  const args = ['arg1', 2];
  const createdAt = Date.now();
  const jobId = await createJob({ minute: '*/1' }, args);
  const nextMinute = Math.ceil((createdAt + 1) / 60_000) * 60_000;
  const [execution] = await waitFor(
    'the fire at the next minute to succeed',
    async () => {
      const list = await executionsOf(jobId);
      return list.length > 0 && list.every((e) => e.state === 'succeeded') ? list : undefined;
    },
    nextMinute - Date.now() + 20_000,
  );
  t.equal(execution?.scheduled_time, new Date(nextMinute).toISOString().replace('Z', '000+00:00'));
  const list = await executionsOf(jobId);
  t.equal(list.filter((e) => e.scheduled_time === execution?.scheduled_time).length, 1, 'exactly one execution');
  t.equal(execution?.result, '[\n    "arg1",\n    2\n]');
  await api.request('DELETE', `/api/v1/jobs/${jobId}`);
});

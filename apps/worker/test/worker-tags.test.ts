// Worker tags, against real worker processes: two workers of different tags (WORKER_TAGS), a job for
// each tag, an untagged job and a job with a tag no worker has. Each tagged job runs only on the worker
// with its tag; the job nobody can take is recorded as `scheduled error` naming the tag, once per fire.
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { type ApiAnswer, startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, { REAPER_INTERVAL_SEC: '1' });
const api = await startApi(t, environment);
const backup = await spawnWorker(t, environment, { WORKER_TAGS: 'backup' });
const eu = await spawnWorker(t, environment, { WORKER_TAGS: 'eu, backup-eu' });

interface Execution {
  execution_id: string;
  state: string;
  pid: number;
  description: string;
  scheduled_time: string;
  job: { job_id: string; worker_tags: string[] };
}

async function executionsOf(jobId: string): Promise<Execution[]> {
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const res: ApiAnswer = await api.request('GET', `/api/v1/executions?time_range_start=${start}&time_range_end=${end}`);
  return (res.body.executions as Execution[]).filter((e) => e.job.job_id === jobId);
}

async function addJob(name: string, fields: Record<string, unknown>): Promise<string> {
  const res = await api.request('POST', '/api/v1/jobs', {
    name,
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    second: '*',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.job_id as string;
}

const succeeded = async (jobId: string, n: number) =>
  (await executionsOf(jobId)).filter((e) => e.state === 'succeeded').length >= n;

t.test('GET /api/v1/workers shows each worker with its tags', async (t) => {
  const res = await api.request('GET', '/api/v1/workers');
  t.equal(res.status, 200);
  const byPid = new Map((res.body.workers as Array<{ pid: number; tags: string[] }>).map((w) => [w.pid, w.tags]));
  t.same(byPid.get(backup.pid), ['backup']);
  t.same(byPid.get(eu.pid), ['backup-eu', 'eu'], 'sorted, blanks ignored');
});

t.test('a job shows its worker_tags sorted, unique; an untagged one shows []', async (t) => {
  const tagged = await addJob('tag order', { worker_tags: ['eu', 'backup', 'eu'], hour: '3', second: '0' });
  t.same((await api.request('GET', `/api/v1/jobs/${tagged}`)).body.worker_tags, ['backup', 'eu']);
  const plain = await addJob('no tags', { hour: '3', second: '0' });
  t.same((await api.request('GET', `/api/v1/jobs/${plain}`)).body.worker_tags, []);
  const bad = await api.request('POST', '/api/v1/jobs', {
    name: 'bad tag',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    hour: '3',
    worker_tags: ['Not A Tag'],
  });
  t.equal(bad.status, 400);
  t.match(bad.body.error, /worker_tags/, 'the error names the field');
  const tooMany = await api.request('PUT', `/api/v1/jobs/${plain}`, {
    worker_tags: Array.from({ length: 17 }, (_, i) => `t${i}`),
  });
  t.equal(tooMany.status, 400);
  t.match(tooMany.body.error, /worker_tags/);
  for (const id of [tagged, plain]) await api.request('DELETE', `/api/v1/jobs/${id}`);
});

t.test('each tagged job runs only on the worker with its tags; untagged ones on either', async (t) => {
  const backupJob = await addJob('backup only', { worker_tags: ['backup'] });
  const euJob = await addJob('eu only', { worker_tags: ['eu'] });
  const anyJob = await addJob('anywhere', {});
  await waitFor(
    'three runs of each job',
    async () => (await succeeded(backupJob, 3)) && (await succeeded(euJob, 3)) && (await succeeded(anyJob, 3)),
    60_000,
  );
  const run = await api.request('POST', '/api/v1/executions', { job_id: backupJob });
  t.equal(run.status, 200, 'run now');
  const runNow = run.body.execution_id as string;
  await waitFor('the run-now to succeed', async () => {
    const res = await api.request('GET', `/api/v1/executions/${runNow}`);
    return res.body.state === 'succeeded';
  });
  for (const id of [backupJob, euJob, anyJob]) await api.request('PATCH', `/api/v1/jobs/${id}`);

  const backupRuns = await executionsOf(backupJob);
  t.ok(
    backupRuns.some((e) => e.execution_id === runNow),
    'the run-now is among them',
  );
  for (const e of backupRuns.filter((x) => x.state === 'succeeded')) {
    t.equal(e.pid, backup.pid, `backup job ${e.execution_id} ran on the backup worker`);
  }
  for (const e of (await executionsOf(euJob)).filter((x) => x.state === 'succeeded')) {
    t.equal(e.pid, eu.pid, `eu job ${e.execution_id} ran on the eu worker`);
    t.same(e.job.worker_tags, ['eu'], 'the execution keeps the job with its tags');
  }
  for (const e of (await executionsOf(anyJob)).filter((x) => x.state === 'succeeded')) {
    t.ok([backup.pid, eu.pid].includes(e.pid), `untagged job ${e.execution_id} ran on a worker`);
  }
  // (A fire may be refused for the job's instance limit on a loaded machine: not for want of a worker.)
  const unserved = [...backupRuns, ...(await executionsOf(euJob))].filter((e) => /no live worker/.test(e.description));
  t.same(unserved, [], 'no tagged fire was taken for unserved');
});

t.test('PUT moving a job to other tags moves its runs to the worker with them', async (t) => {
  const jobId = await addJob('moving', { worker_tags: ['backup'] });
  await waitFor('a run on the backup worker', () => succeeded(jobId, 1), 30_000);
  t.equal((await api.request('PUT', `/api/v1/jobs/${jobId}`, { worker_tags: ['eu'] })).status, 200);
  const movedAt = Date.now();
  await waitFor(
    'three runs after the move',
    async () =>
      (await executionsOf(jobId)).filter(
        (e) => e.state === 'succeeded' && Date.parse(e.scheduled_time) > movedAt + 1000,
      ).length >= 3,
    30_000,
  );
  await api.request('DELETE', `/api/v1/jobs/${jobId}`);
  for (const e of await executionsOf(jobId)) {
    if (e.state !== 'succeeded' || Date.parse(e.scheduled_time) <= movedAt + 1000) continue;
    t.equal(e.pid, eu.pid, `${e.scheduled_time} ran on the eu worker`);
  }
  const moved = await api.app.runQueues.of(['backup']).getJobScheduler(`job_${jobId}`);
  t.notOk(moved, 'no scheduler is left in the old queue');
  const logs = (await api.request('GET', '/api/v1/logs')).body.logs as Array<{
    job_id: string;
    event: string;
    description: string;
  }>;
  t.ok(
    logs.some(
      (l) =>
        l.job_id === jobId && l.event === 'modified' && l.description.includes('worker_tags: ["backup"] => ["eu"]'),
    ),
    'the audit log has the change of tags',
  );
});

t.test('a job with a tag no live worker has: each fire is a scheduled error naming it, after its grace', async (t) => {
  const jobId = await addJob('gpu only', { worker_tags: ['gpu', 'eu'], misfire_grace_sec: 2 });
  const created = Date.now();
  const errors = await waitFor(
    'two fires recorded as scheduled error',
    async () => {
      const found = (await executionsOf(jobId)).filter((e) => e.state === 'scheduled error');
      return found.length >= 2 ? found : undefined;
    },
    40_000,
  );
  const run = await api.request('POST', '/api/v1/executions', { job_id: jobId });
  t.equal(run.status, 200, 'a run-now is taken');
  const given = await waitFor(
    'the run-now given up',
    async () => {
      const res = await api.request('GET', `/api/v1/executions/${run.body.execution_id}`);
      return res.body.state === 'scheduled error' ? res.body : undefined;
    },
    30_000,
  );
  t.match(given.description, /no live worker with tags: gpu\b/, 'a run-now waits its grace, then is given up');
  await api.request('PATCH', `/api/v1/jobs/${jobId}`);
  const first = errors.map((e) => Date.parse(e.scheduled_time)).sort((a, b) => a - b)[0] as number;
  t.ok(first >= created - 1000, 'a fire of the job');
  for (const e of errors) {
    t.match(e.description, /no live worker with tags: gpu\b/, 'names the missing tag, not the one a worker has');
    t.notMatch(e.description, /tags: gpu, eu/);
    t.notOk([backup.pid, eu.pid].includes(e.pid), 'no worker took it');
  }
  const all = (await executionsOf(jobId)).filter((e) => e.execution_id !== run.body.execution_id);
  t.equal(new Set(all.map((e) => e.scheduled_time)).size, all.length, 'one record per fire');
  t.same(
    all.filter((e) => e.state !== 'scheduled error'),
    [],
    'never run',
  );
});

t.test('a tagged worker stops cleanly on SIGTERM and leaves the registry', async (t) => {
  const exited = new Promise<number | null>((resolve) => backup.child.once('exit', (code) => resolve(code)));
  backup.child.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0');
  await waitFor('the worker gone from GET /api/v1/workers', async () => {
    const res = await api.request('GET', '/api/v1/workers');
    return !(res.body.workers as Array<{ pid: number }>).some((w) => w.pid === backup.pid);
  });
});

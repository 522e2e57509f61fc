// Stop, timeout and misfire grace, against a real worker process and the real API.
import { schedulerIdFor } from '@tickwork/queue';
import { processesMatching, spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

async function createJob(body: Record<string, unknown>): Promise<string> {
  const res = await api.request('POST', '/api/v1/jobs', { name: 'control', hour: '0', ...body });
  if (res.status !== 201) throw new Error(res.text);
  return res.body.job_id;
}

async function execution(id: string) {
  return (await api.request('GET', `/api/v1/executions/${id}`)).body;
}

const processesRunning = (text: string) => processesMatching(text).length > 0;

t.test('misfire grace: a fire picked up later than the grace is recorded, not run', async (t) => {
  const jobId = await createJob({
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    pub_args: [1, 2],
    hour: undefined,
    second: '*/1',
    misfire_grace_sec: 1,
  });
  // No worker yet: wait until BullMQ's pending fire is more than the grace overdue.
  await waitFor(
    'the pending fire to be 2 s overdue',
    async () => {
      const next = (await api.app.runQueue.getJobScheduler(schedulerIdFor(jobId)))?.next;
      return next !== undefined && next !== null && next < Date.now() - 2000;
    },
    10_000,
  );
  const worker = await spawnWorker(t, environment);
  const runs = await waitFor('a missed fire and a fire run on time', async () => {
    const { body } = await api.request('GET', '/api/v1/executions');
    const mine = body.executions.filter((e: { job: { job_id: string } }) => e.job.job_id === jobId);
    const missed = mine.find((e: { state: string }) => e.state === 'scheduled error');
    const ran = mine.find((e: { state: string }) => e.state === 'succeeded');
    return missed && ran ? { missed, ran } : undefined;
  });
  t.match(runs.missed.description, /^Run time of job was missed by \d+ s \(misfire grace 1 s\)$/);
  t.equal(runs.missed.pid, -1, 'the missed fire never ran');
  t.equal(runs.ran.pid, worker.pid);
  await api.request('DELETE', `/api/v1/jobs/${jobId}`);
  worker.child.kill('SIGTERM');
  await new Promise((r) => worker.child.once('exit', r));
});

t.test('JOB_COALESCE=false: fires skipped while a late one waited are each recorded and run', async (t) => {
  const jobId = await createJob({
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    hour: undefined,
    second: '*/1',
    misfire_grace_sec: 60,
    max_instances: 10,
  });
  // No worker yet: the pending fire waits until it is 3 s overdue, so 3 later fires were skipped.
  await waitFor(
    'the pending fire to be 3 s overdue',
    async () => {
      const next = (await api.app.runQueue.getJobScheduler(schedulerIdFor(jobId)))?.next;
      return next !== undefined && next !== null && next < Date.now() - 3000;
    },
    10_000,
  );
  const worker = await spawnWorker(t, environment, { JOB_COALESCE: 'false' });
  const mine = async () =>
    (await api.request('GET', '/api/v1/executions')).body.executions.filter(
      (e: { job: { job_id: string } }) => e.job.job_id === jobId,
    );
  // The first six fires from the overdue one on: the skipped ones backfilled in between, each run once.
  // (Later ones may still be on their way when the job is deleted, and are then rightly not run.)
  const first = await waitFor('the overdue fire, the skipped ones and a few more, settled', async () => {
    const all = (await mine()).sort(
      (a: { scheduled_time: string }, b: { scheduled_time: string }) =>
        Date.parse(a.scheduled_time) - Date.parse(b.scheduled_time),
    );
    const six = all.slice(0, 6);
    return six.length === 6 && six.every((e: { state: string }) => e.state === 'succeeded') ? six : undefined;
  });
  await api.request('DELETE', `/api/v1/jobs/${jobId}`);
  const times = first.map((e: { scheduled_time: string }) => Date.parse(e.scheduled_time));
  t.same(
    times.slice(1).map((time: number, i: number) => time - times[i]),
    [1000, 1000, 1000, 1000, 1000],
    'six fires one second apart, each run: none coalesced, none twice',
  );
  worker.child.kill('SIGTERM');
  await new Promise((r) => worker.child.once('exit', r));
});

t.test('with two worker processes running', async (t) => {
  await Promise.all([spawnWorker(t, environment), spawnWorker(t, environment)]);

  t.test('max instances holds across workers: a run beyond the limit is recorded, not run', async (t) => {
    const jobId = await createJob({
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['sleep', '44.5'],
      max_instances: 2,
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await api.request('POST', `/api/v1/executions/${jobId}`)).body.execution_id);
    const states = await waitFor('two running and two skipped', async () => {
      const all = await Promise.all(ids.map(execution));
      const running = all.filter((e) => e.state === 'running');
      const skipped = all.filter((e) => e.state === 'scheduled error');
      return running.length === 2 && skipped.length === 2 ? { running, skipped } : undefined;
    });
    t.equal(new Set(states.running.map((e) => e.pid)).size >= 1, true);
    for (const e of states.skipped) {
      t.equal(e.description, 'Execution of job skipped: maximum number of running instances reached (2)');
    }
    for (const e of states.running) await api.request('DELETE', `/api/v1/executions/${e.execution_id}`);
    await waitFor('both stopped', async () =>
      (await Promise.all(states.running.map((e) => execution(e.execution_id)))).every((e) => e.state === 'stopped'),
    );
    // The slots are free again: the next run goes ahead.
    const next = (await api.request('POST', `/api/v1/executions/${jobId}`)).body.execution_id;
    await waitFor('the next run to start', async () => (await execution(next)).state === 'running');
    await api.request('DELETE', `/api/v1/executions/${next}`);
    await waitFor('it to stop', async () => (await execution(next)).state === 'stopped');
  });

  t.test('stop: DELETE of a running ShellJob → stopping, then stopped within 5 s; its child is killed', async (t) => {
    const jobId = await createJob({
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['sleep', '41.5'],
    });
    const { execution_id } = (await api.request('POST', `/api/v1/executions/${jobId}`)).body;
    await waitFor('the run to be running', async () => (await execution(execution_id)).state === 'running');
    await waitFor('the sleep child to exist', () => processesRunning('sleep 41.5'));

    const stop = await api.request('DELETE', `/api/v1/executions/${execution_id}`);
    t.equal(stop.status, 200);
    t.same(stop.body, { execution_id });
    const stoppedAt = Date.now();
    const stopped = await waitFor('stopped', async () => {
      const e = await execution(execution_id);
      return e.state === 'stopped' ? e : undefined;
    });
    t.ok(Date.now() - stoppedAt < 5000, 'within 5 s');
    t.equal(stopped.description, 'stopped on request');
    await waitFor('the sleep child to be gone', () => !processesRunning('sleep 41.5'), 5000);

    const again = await api.request('DELETE', `/api/v1/executions/${execution_id}`);
    t.equal(again.status, 400);
    t.match(again.body, { error: /is not running: .* is stopped$/ });
    const unknown = await api.request('DELETE', `/api/v1/executions/${'b'.repeat(32)}`);
    t.match(unknown, { status: 400, body: { error: /^Execution not found/ } });
    const logs = (await api.request('GET', '/api/v1/logs')).body.logs;
    t.match(
      logs.find((l: { event: string }) => l.event === 'stopped'),
      { job_id: jobId, description: execution_id },
    );
  });

  t.test('timeout: a run longer than the job timeout ends as timeout', async (t) => {
    const jobId = await createJob({
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['sleep', '42.5'],
      timeout: 1,
    });
    const { execution_id } = (await api.request('POST', `/api/v1/executions/${jobId}`)).body;
    const ended = await waitFor('timeout', async () => {
      const e = await execution(execution_id);
      return e.state === 'timeout' ? e : undefined;
    });
    t.equal(ended.description, 'timed out after 1 s');
    await waitFor('the sleep child to be gone', () => !processesRunning('sleep 42.5'), 5000);
  });
});

t.test('SIGTERM: no new runs, running ones get the grace, then are stopped; exit 0', async (t) => {
  const worker = await spawnWorker(t, environment, { WORKER_SHUTDOWN_GRACE_SEC: '1' });
  const jobId = await createJob({
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: ['sleep', '45.5'],
  });
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${jobId}`)).body;
  await waitFor('the run to be running', async () => (await execution(execution_id)).state === 'running');
  const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
  worker.child.kill('SIGTERM');
  t.equal(await exited, 0, 'the worker exits 0');
  const stopped = await execution(execution_id);
  t.match(stopped, { state: 'stopped', description: 'stopped: the worker shut down' });
  await waitFor('the sleep child to be gone', () => !processesRunning('sleep 45.5'), 5000);
  const workers = (await api.request('GET', '/api/v1/workers')).body.workers;
  t.notOk(
    workers.some((w: { pid: number }) => w.pid === worker.pid),
    'it left the workers list',
  );
});

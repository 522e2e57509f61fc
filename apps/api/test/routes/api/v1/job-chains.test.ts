// Chains (a job's `after`) through the REST API: what a chained job shows, the 400s (unknown upstream,
// itself, a cycle), what the chain book lists for the run ends to read, and a deleted upstream pausing
// the jobs that waited for it, saying so in the audit log.
import { schedulerIdFor } from '@tickwork/queue';
import { testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

async function createJob(body: Record<string, unknown>) {
  const res = await api.request('POST', '/api/v1/jobs', {
    name: 'job',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    ...body,
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.text}`);
  return res.body.job_id as string;
}

const waitingIds = async (upstream: string) =>
  (await api.app.fleet.chains.waitingFor(upstream)).map((c) => c.job.job_id).sort();

t.test('a job only after another: no schedule, no scheduler, listed for its upstream', async (t) => {
  const up = await createJob({ name: 'up', minute: '*/5' });
  const down = await createJob({ name: 'down', after: { job_id: up, on: 'succeeded' } });
  const shown = (await api.request('GET', `/api/v1/jobs/${down}`)).body;
  t.match(shown, {
    after: { job_id: up, on: 'succeeded' },
    minute: '',
    hour: '',
    second: '',
    cron: null,
    next_run_time: '',
    paused: false,
  });
  t.equal(await api.app.runQueue.getJobScheduler(schedulerIdFor(down)), undefined, 'no BullMQ scheduler');
  t.same(await waitingIds(up), [down], 'the chain book lists it for its upstream');
  const upShown = (await api.request('GET', `/api/v1/jobs/${up}`)).body;
  t.equal(upShown.after, null, 'a job without after shows after: null');
  t.notOk('paused' in upShown, 'and no paused field: its shape is as before');

  t.equal((await api.request('PATCH', `/api/v1/jobs/${down}`)).status, 200);
  t.equal((await api.request('GET', `/api/v1/jobs/${down}`)).body.paused, true);
  t.same(await waitingIds(up), [], 'a paused job is not listed');
  t.equal((await api.request('OPTIONS', `/api/v1/jobs/${down}`)).status, 200);
  t.same(await waitingIds(up), [down], 'resumed, it is again');
});

t.test('a job with both a schedule and after keeps its scheduler', async (t) => {
  const up = await createJob({ name: 'up', minute: '*/5' });
  const both = await createJob({ name: 'both', hour: '3', after: { job_id: up, on: 'finished' } });
  t.ok(await api.app.runQueue.getJobScheduler(schedulerIdFor(both)), 'scheduled as before');
  t.match((await api.request('GET', `/api/v1/jobs/${both}`)).body, { hour: '3', next_run_time: /T03:00:00/ });
  t.same(await waitingIds(up), [both]);
});

t.test('PUT moves a job to another upstream, and after: null needs a schedule on a job only after', async (t) => {
  const a = await createJob({ name: 'a', minute: '*/5' });
  const b = await createJob({ name: 'b', minute: '*/5' });
  const down = await createJob({ name: 'down', after: { job_id: a, on: 'failed' } });
  t.equal((await api.request('PUT', `/api/v1/jobs/${down}`, { after: { job_id: b, on: 'failed' } })).status, 200);
  t.same(await waitingIds(a), [], 'no longer listed for the old upstream');
  t.same(await waitingIds(b), [down], 'listed for the new one');
  const dropped = await api.request('PUT', `/api/v1/jobs/${down}`, { after: null });
  t.equal(dropped.status, 400);
  t.match(dropped.body.error, /^after: this job runs only after another; to drop after, give it a schedule/);
  t.equal((await api.request('PUT', `/api/v1/jobs/${down}`, { after: null, minute: '*/10' })).status, 200);
  const shown = (await api.request('GET', `/api/v1/jobs/${down}`)).body;
  t.match(shown, { after: null, minute: '*/10', next_run_time: /\d/ });
  t.notOk('paused' in shown);
  t.same(await waitingIds(b), []);
  t.ok(await api.app.runQueue.getJobScheduler(schedulerIdFor(down)), 'scheduled now');
});

t.test('the 400s: unknown upstream, itself, a cycle, a bad on, no schedule and no after', async (t) => {
  const a = await createJob({ name: 'a', minute: '*/5' });
  const b = await createJob({ name: 'b', after: { job_id: a, on: 'succeeded' } });
  const c = await createJob({ name: 'c', after: { job_id: b, on: 'succeeded' } });

  const unknown = await api.request('POST', '/api/v1/jobs', {
    name: 'x',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    after: { job_id: '0123456789abcdef0123456789abcdef', on: 'succeeded' },
  });
  t.equal(unknown.status, 400);
  t.equal(unknown.body.error, 'after: unknown job "0123456789abcdef0123456789abcdef"');

  const self = await api.request('PUT', `/api/v1/jobs/${a}`, { after: { job_id: a, on: 'succeeded' } });
  t.equal(self.status, 400);
  t.equal(self.body.error, `after: a job cannot run after itself (${a})`);

  const cycle = await api.request('PUT', `/api/v1/jobs/${a}`, { after: { job_id: c, on: 'finished' } });
  t.equal(cycle.status, 400);
  t.equal(cycle.body.error, 'after: a cycle: "c" already runs after this job (this job → "b" → "c" → this job)');
  t.equal((await api.request('GET', `/api/v1/jobs/${a}`)).body.after, null, 'nothing changed');

  const badOn = await api.request('PUT', `/api/v1/jobs/${c}`, { after: { job_id: a, on: 'sometimes' } });
  t.equal(badOn.status, 400);
  t.match(badOn.body.error, /after/);
  const extra = await api.request('PUT', `/api/v1/jobs/${c}`, { after: { job_id: a, on: 'failed', x: 1 } });
  t.equal(extra.status, 400);

  const none = await api.request('POST', '/api/v1/jobs', {
    name: 'x',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
  });
  t.equal(none.status, 400, 'a job with neither schedule nor after is refused, as before');
  t.match(none.body.error, /at least one of/);
});

t.test('deleting an upstream pauses the jobs waiting for it and says so in the audit log', async (t) => {
  const up = await createJob({ name: 'nightly import', minute: '*/5' });
  const d1 = await createJob({ name: 'd1', after: { job_id: up, on: 'succeeded' } });
  const d2 = await createJob({ name: 'd2', minute: '0', after: { job_id: up, on: 'failed' } });
  t.equal((await api.request('DELETE', `/api/v1/jobs/${up}`)).status, 200);
  for (const id of [d1, d2]) {
    const shown = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
    t.match(shown, { after: { job_id: up }, paused: true, next_run_time: '' }, 'paused; after still names it');
  }
  t.equal(await api.app.runQueue.getJobScheduler(schedulerIdFor(d2)), undefined, 'its scheduler removed');
  t.same(await waitingIds(up), [], 'nothing listed for the deleted job');
  const { logs } = (await api.request('GET', '/api/v1/logs')).body;
  for (const id of [d1, d2]) {
    t.match(
      logs.find((e: { job_id: string; event: string }) => e.job_id === id && e.event === 'paused'),
      { description: `the job it runs after, "nightly import" (${up}), was deleted` },
    );
  }
});

t.test('the reconcile pass lists again what Redis lost of the chain book', async (t) => {
  const up = await createJob({ name: 'up', minute: '*/5' });
  const down = await createJob({ name: 'down', after: { job_id: up, on: 'succeeded' } });
  await api.app.redis.hdel(`${environment.config.queuePrefix}:jobs:chains`, up);
  t.same(await waitingIds(up), [], 'lost');
  await api.app.reconcileSchedulers();
  t.same(await waitingIds(up), [down], 'listed again');
});

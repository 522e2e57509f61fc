// Redis loses everything (FLUSHALL) under running processes: no process is restarted, yet every active
// job's scheduler is back within 30 s (from MongoDB), the fires due while it was lost are recorded (each
// once: JOB_COALESCE=false here), the run in flight ends recorded, and the run-now whose queue entry was
// flushed still runs. On a redis-server of this test's own.
import { schedulerIdFor } from '@tickwork/queue';
import { spawnApi, spawnWorker, startPrivateRedis, testEnvironment, waitFor } from '@tickwork/testing';
import { Redis } from 'ioredis';
import t from 'tap';

const redis = await startPrivateRedis(t);
const environment = testEnvironment(t, {
  REDIS_URL: redis.url(),
  REAPER_INTERVAL_SEC: '1',
  // One run at a time, so a run-now can be left waiting in the queue when Redis is flushed.
  WORKER_CONCURRENCY: '1',
  // Every fire counted, so that a fire lost with Redis shows as a gap (found by the soak: fires due between
  // the loss and the rebuild were never recorded).
  JOB_COALESCE: 'false',
});
const api = await spawnApi(t, environment);

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(api.base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the API answered
  return (await res.json()) as any;
}

async function execution(id: string) {
  return call('GET', `/api/v1/executions/${id}`);
}

t.test('FLUSHALL: schedulers back within 30 s, in-flight runs closed out, nothing restarted', async (t) => {
  const worker = await spawnWorker(t, environment);
  const ticking = await call('POST', '/api/v1/jobs', {
    name: 'ticking',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    second: '*/2',
  });
  const long = await call('POST', '/api/v1/jobs', {
    name: 'in flight',
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: ['sleep', '4'],
    hour: '0',
  });
  const quick = await call('POST', '/api/v1/jobs', {
    name: 'queued',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    hour: '0',
  });
  const range = `time_range_start=${new Date(Date.now() - 60_000).toISOString()}`;
  const ticks = async () =>
    (await call('GET', `/api/v1/executions?${range}`)).executions.filter(
      (e: { job: { job_id: string } }) => e.job.job_id === ticking.job_id,
    );
  await waitFor('a fire of the ticking job', async () => (await ticks()).length > 0);

  const inFlight = (await call('POST', `/api/v1/executions/${long.job_id}`)).execution_id;
  await waitFor('the long run to be running', async () => (await execution(inFlight)).state === 'running');
  const queued = (await call('POST', `/api/v1/executions/${quick.job_id}`)).execution_id;
  t.equal((await execution(queued)).state, 'scheduled', 'the run-now waits in the queue');

  const client = new Redis(redis.url());
  t.teardown(() => client.disconnect());
  t.equal(await client.flushall(), 'OK');
  const flushedAt = Date.now();

  await waitFor(
    "the ticking job's scheduler to be back",
    async () =>
      (await client.exists(`${environment.env.QUEUE_PREFIX}:runs:repeat:${schedulerIdFor(ticking.job_id)}`)) === 1,
    30_000,
  );
  t.ok(Date.now() - flushedAt <= 30_000, `scheduler back in ${Date.now() - flushedAt} ms`);
  await waitFor(
    'a fire after the flush',
    async () =>
      (await ticks()).some(
        (e: { scheduled_time: string; state: string }) =>
          Date.parse(e.scheduled_time) > flushedAt && e.state === 'succeeded',
      ),
    30_000,
  );
  t.match(
    await waitFor('the in-flight run to end', async () => {
      const e = await execution(inFlight);
      return e.state !== 'running' ? e : undefined;
    }),
    { state: 'succeeded', pid: worker.pid },
    'the run in flight ended recorded by its worker',
  );
  t.match(
    await waitFor(
      'the flushed run-now to run',
      async () => {
        const e = await execution(queued);
        return e.state !== 'scheduled' && e.state !== 'running' ? e : undefined;
      },
      60_000,
    ),
    { state: 'succeeded' },
    'the run-now whose queue entry was flushed was queued again and ran',
  );
  await waitFor('the worker to be listed again', async () =>
    (await call('GET', '/api/v1/workers')).workers.some((w: { pid: number }) => w.pid === worker.pid),
  );

  // Fires until well after the rebuild, then none: the gap, if any, is in between.
  await waitFor('fires 10 s past the flush', async () =>
    (await ticks()).some((e: { scheduled_time: string }) => Date.parse(e.scheduled_time) > flushedAt + 10_000),
  );
  await call('DELETE', `/api/v1/jobs/${ticking.job_id}`);
  const all = await ticks();
  const times = all.map((e: { scheduled_time: string }) => e.scheduled_time);
  t.equal(new Set(times).size, times.length, 'no fire recorded twice');
  const ms: number[] = [...new Set<number>(times.map((time: string) => Date.parse(time)))].sort((a, b) => a - b);
  const gaps = ms.slice(1).filter((at, i) => at - (ms[i] as number) !== 2000);
  t.same(
    gaps.map((at) => new Date(at).toISOString()),
    [],
    `every 2 s fire from ${new Date(ms[0] as number).toISOString()} on is recorded, across the flush`,
  );
  t.equal(api.child.exitCode, null, 'the API process was never restarted');
  t.equal(worker.child.exitCode, null, 'nor the worker');
});

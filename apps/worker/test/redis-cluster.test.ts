// REDIS_URL in its Cluster form, with a {hash tag} in QUEUE_PREFIX: scheduled fires and run-now go through
// a three-primary Redis Cluster; the worker registry and the metrics find their keys on it.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@tickwork/config';
import { spawnWorker, startPrivateRedisCluster, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const cluster = await startPrivateRedisCluster(t);
const environment = testEnvironment(t, {
  REDIS_URL: cluster.url,
  QUEUE_PREFIX: `{tw_${randomBytes(4).toString('hex')}}`,
});

t.test('a cluster needs a hash tag in the prefix', async (t) => {
  t.throws(() => loadConfig({ REDIS_URL: cluster.url, QUEUE_PREFIX: 'tickwork' }), {
    message: /^QUEUE_PREFIX: must hold a \{hash tag\} with a Redis Cluster, e.g. \{tickwork\}/,
  });
});

t.test('fires and run-nows through a Redis Cluster', async (t) => {
  const api = await startApi(t, environment);
  const worker = await spawnWorker(t, environment);
  const ticking = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'clustered',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      second: '*/1',
    })
  ).body.job_id;
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${ticking}`)).body;
  await waitFor('the run-now and two fires to succeed', async () => {
    const { body } = await api.request('GET', '/api/v1/executions');
    const ok = body.executions.filter((e: { state: string }) => e.state === 'succeeded');
    return ok.length >= 3 && ok.some((e: { execution_id: string }) => e.execution_id === execution_id);
  });
  const workers = (await api.request('GET', '/api/v1/workers')).body.workers;
  t.same(
    workers.map((w: { pid: number }) => w.pid),
    [worker.pid],
    'the worker registry is read across the cluster',
  );
  t.match((await api.request('GET', '/metrics')).text, /^tickwork_workers 1$/m);
  await api.request('DELETE', `/api/v1/jobs/${ticking}`);
});

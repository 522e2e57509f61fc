// REDIS_URL in its Sentinel form: the API and a worker find the Redis primary through a sentinel and a job
// runs end to end.
import { spawnWorker, startPrivateRedis, startPrivateSentinel, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const redis = await startPrivateRedis(t);
const sentinel = await startPrivateSentinel(t, redis.port);
const environment = testEnvironment(t, { REDIS_URL: sentinel.url });

t.test('a run through Redis found by Sentinel', async (t) => {
  t.match(sentinel.url, /^redis-sentinel:\/\/127\.0\.0\.1:\d+\/tickwork$/);
  const api = await startApi(t, environment);
  await spawnWorker(t, environment);
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'via sentinel',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      hour: '0',
    })
  ).body;
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${job_id}`)).body;
  const done = await waitFor('the run to succeed', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
    return body.state === 'succeeded' ? body : undefined;
  });
  t.equal(done.state, 'succeeded');
  const workers = (await api.request('GET', '/api/v1/workers')).body.workers;
  t.equal(workers.length, 1, 'the worker registered through the same Redis');
});

// Jobs and recent executions answered from each API process's memory: two API processes on one store and
// one Redis, a change through either is in the next read of the other, the lists read nothing from the
// store, and after Redis lost its data they answer correctly still (from the store, then from memory again).

import { createRedis } from '@tickwork/queue';
import { startPrivateRedis, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi, startWorker } from '@tickwork/testkit';
import type { FastifyInstance } from 'fastify';
import t from 'tap';

const redis = await startPrivateRedis(t);
const environment = testEnvironment(t, { REDIS_URL: redis.url() });
const [a, b] = [await startApi(t, environment), await startApi(t, environment)];
if (!a || !b) throw new Error('two APIs');
await startWorker(t, environment);

/** The store commands `app` sends while `work` runs, by command and collection. */
async function storeCommands(app: FastifyInstance, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  // The auth check counts users at most once a second while there are none: counted now, it is not
  // counted inside the measured request (it is not a read of the jobs or executions).
  await app.userService.anyUsers();
  const client = app.store.connection.getClient();
  const listen = (e: { commandName: string; command: Record<string, unknown> }) =>
    seen.push(`${e.commandName} ${String(e.command[e.commandName])}`);
  client.on('commandStarted', listen);
  try {
    await work();
  } finally {
    client.off('commandStarted', listen);
  }
  return seen;
}

const job = (name: string) => ({
  name,
  job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
  pub_args: [[1, 2], { 'a.b': '$c' }],
  hour: '3',
});

t.test('a job changed through one API is in the next read of the other', async (t) => {
  await waitFor('both catalogs to load', async () => (await a.app.jobCatalog.fresh()) && b.app.jobCatalog.fresh());
  const { job_id } = (await a.request('POST', '/api/v1/jobs', job('made on A'))).body;
  t.match((await b.request('GET', `/api/v1/jobs/${job_id}`)).body, {
    name: 'made on A',
    pub_args: [[1, 2], { 'a.b': '$c' }],
  });
  await a.request('PUT', `/api/v1/jobs/${job_id}`, { name: 'changed on A', minute: '7' });
  t.match((await b.request('GET', `/api/v1/jobs/${job_id}`)).body, { name: 'changed on A', minute: '7', hour: '*' });
  await b.request('PATCH', `/api/v1/jobs/${job_id}`);
  t.equal((await a.request('GET', `/api/v1/jobs/${job_id}`)).body.next_run_time, '', 'paused on B, seen on A');
  await a.request('DELETE', `/api/v1/jobs/${job_id}`);
  t.equal((await b.request('GET', `/api/v1/jobs/${job_id}`)).status, 400, 'deleted on A, gone on B');
});

t.test('job lists and reads answer from memory, as the store has them', async (t) => {
  for (let i = 0; i < 5; i++) await a.request('POST', '/api/v1/jobs', job(`listed ${i}`));
  await b.app.jobCatalog.fresh();
  let listed: Array<{ job_id: string }> = [];
  const commands = await storeCommands(b.app, async () => {
    listed = (await b.request('GET', '/api/v1/jobs')).body.jobs;
    await b.request('GET', `/api/v1/jobs/${listed[0]?.job_id}`);
  });
  t.same(commands, [], 'no store command for a list and a read');
  const stored = (await b.app.store.jobs.list(1000)).items.map((j) => j.job_id);
  t.same(
    listed.map((j) => j.job_id),
    stored,
    'the same jobs, in the order the store lists them',
  );
  const page = (await b.request('GET', '/api/v1/jobs?limit=2')).body;
  t.equal(page.jobs.length, 2);
  const next = (await b.request('GET', `/api/v1/jobs?limit=100&cursor=${page.next_cursor}`)).body;
  t.same(
    [...page.jobs, ...next.jobs].map((j: { job_id: string }) => j.job_id),
    stored,
    'pages follow on',
  );
});

t.test('recent executions are listed from memory, a run-now through one API at once by the other', async (t) => {
  const { job_id } = (await a.request('POST', '/api/v1/jobs', job('run me'))).body;
  const { execution_id } = (await a.request('POST', `/api/v1/executions/${job_id}`)).body;
  const listed = async () =>
    (
      (await b.request('GET', '/api/v1/executions')).body.executions as Array<{ execution_id: string; state: string }>
    ).find((e) => e.execution_id === execution_id);
  await waitFor('B to have its window', () => b.app.executionWindow?.covers(Date.now() - 600_000));
  t.ok(await listed(), 'listed by B as soon as A answered');
  const done = await waitFor('the run to succeed, as B lists it', async () => {
    const e = await listed();
    return e?.state === 'succeeded' ? e : undefined;
  });
  t.same(done, (await b.request('GET', `/api/v1/executions/${execution_id}`)).body, 'as the store has it');
  const commands = await storeCommands(b.app, () => b.request('GET', '/api/v1/executions'));
  t.same(commands, [], 'no store command for the list');
});

t.test('after Redis lost its data, reads are right at once and from memory again soon', async (t) => {
  const { job_id } = (await a.request('POST', '/api/v1/jobs', job('before the flush'))).body;
  const flusher = createRedis(redis.url());
  await flusher.flushall();
  flusher.disconnect();
  t.match((await b.request('GET', `/api/v1/jobs/${job_id}`)).body, { name: 'before the flush' });
  await a.request('PUT', `/api/v1/jobs/${job_id}`, { name: 'after the flush' });
  t.match(
    (await b.request('GET', `/api/v1/jobs/${job_id}`)).body,
    { name: 'after the flush' },
    'a change after it too',
  );
  await waitFor('B to read from memory again', () => b.app.jobCatalog.fresh());
  const commands = await storeCommands(b.app, () => b.request('GET', `/api/v1/jobs/${job_id}`));
  t.same(commands, [], 'no store command once reloaded');
  t.match((await b.request('GET', `/api/v1/jobs/${job_id}`)).body, { name: 'after the flush' });
});

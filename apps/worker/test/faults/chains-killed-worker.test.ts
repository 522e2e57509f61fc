// Chains under a killed worker (SIGKILL): still one chained run per upstream execution.
// - Killed mid-run of the upstream: the reaper closes that run out as failed, which is an end like any
//   other: the jobs waiting on failed or finished run once, the one waiting on succeeded does not.
// - Killed after writing the upstream's end and before recording the chained run (its store writes wait
//   4 s for company: the window): the API's catch-up records and queues it, and it runs once.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainExecutionId, newId } from '@tickwork/domain';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

t.setTimeout(300_000);
const environment = testEnvironment(t, {
  JOB_CLASS_PACKAGES: [
    '@tickwork/sample-jobs',
    fileURLToPath(new URL('../fixtures/chain-jobs.mjs', import.meta.url)),
  ].join(','),
  REAPER_INTERVAL_SEC: '1',
  EXECUTION_LEASE_SEC: '3',
});
const api = await startApi(t, environment);
const marker = join(tmpdir(), `tickwork-chains-killed-${newId()}`);
writeFileSync(marker, '');
t.teardown(() => rmSync(marker, { force: true }));

interface Execution {
  execution_id: string;
  state: string;
  pid: number;
  description: string;
  job: { job_id: string };
}

async function executionsOf(jobId: string): Promise<Execution[]> {
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const res = await api.request('GET', `/api/v1/executions?time_range_start=${start}&time_range_end=${end}`);
  return (res.body.executions as Execution[]).filter((e) => e.job.job_id === jobId);
}

async function execution(id: string): Promise<Execution> {
  return (await api.request('GET', `/api/v1/executions/${id}`)).body;
}

async function createJob(body: Record<string, unknown>): Promise<string> {
  const res = await api.request('POST', '/api/v1/jobs', { job_class_string: 'chains.Notes', ...body });
  if (res.status !== 201) throw new Error(`create failed: ${res.text}`);
  return res.body.job_id as string;
}

const notes = () => readFileSync(marker, 'utf8').split('\n').filter(Boolean);

t.test(
  'killed mid-run of the upstream: its close-out (failed) runs the jobs on failed and finished once',
  async (t) => {
    const a = await spawnWorker(t, environment);
    const up = await createJob({ name: 'sleeps', job_class_string: 'chains.Sleeps', pub_args: [60], hour: '0' });
    const on = {
      succeeded: await createJob({ name: 's', pub_args: [marker, 'A-s'], after: { job_id: up, on: 'succeeded' } }),
      failed: await createJob({ name: 'f', pub_args: [marker, 'A-f'], after: { job_id: up, on: 'failed' } }),
      finished: await createJob({ name: 'n', pub_args: [marker, 'A-n'], after: { job_id: up, on: 'finished' } }),
    };
    const { execution_id: upRun } = (await api.request('POST', `/api/v1/executions/${up}`)).body;
    await waitFor('the upstream to run on worker A', async () => (await execution(upRun)).state === 'running');
    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    const b = await spawnWorker(t, environment);

    const closed = await waitFor(
      'the lost run to be closed out',
      async () => {
        const e = await execution(upRun);
        return e.state === 'failed' ? e : undefined;
      },
      60_000,
    );
    t.match(closed.description, /^lost worker /);
    for (const way of ['failed', 'finished'] as const) {
      const id = chainExecutionId(on[way], upRun);
      const ran = await waitFor(
        `the job on ${way} to run`,
        async () => {
          const e = await execution(id);
          return e.state === 'succeeded' ? e : undefined;
        },
        30_000,
      );
      t.equal(ran.pid, b.pid, `on ${way}: run by the worker left`);
      t.equal((await executionsOf(on[way])).length, 1, `on ${way}: one run`);
    }
    // Once the catch-up has had several passes over that end, still nothing more.
    await api.app.catchUpChains();
    t.same(await executionsOf(on.succeeded), [], 'on succeeded: no run for a failed upstream');
    t.same(notes().sort(), [
      `A-f ${chainExecutionId(on.failed, upRun)}`,
      `A-n ${chainExecutionId(on.finished, upRun)}`,
    ]);
    b.child.kill('SIGKILL');
    await new Promise((resolve) => b.child.once('exit', resolve));
  },
);

t.test('killed between the upstream end and the chained record: the catch-up runs it, once', async (t) => {
  // Its writes wait 12 s to be batched: the chained record would follow the end by that much, room enough
  // for the test to see the end and kill it first however loaded the machine is (4 s lost the race in CI).
  const slow = await spawnWorker(t, environment, { STORE_BATCH_WINDOW_MS: '12000' });
  const up = await createJob({ name: 'quick', pub_args: [marker, 'B-up'], hour: '0' });
  const down = await createJob({
    name: 'after quick',
    pub_args: [marker, 'B-down'],
    after: { job_id: up, on: 'succeeded' },
  });
  const { execution_id: upRun } = (await api.request('POST', `/api/v1/executions/${up}`)).body;
  await waitFor('the upstream end to be written', async () => (await execution(upRun)).state === 'succeeded', 60_000);
  slow.child.kill('SIGKILL');
  await new Promise((resolve) => slow.child.once('exit', resolve));
  const downRun = chainExecutionId(down, upRun);
  t.same(await executionsOf(down), [], 'no chained record: the worker died before writing it');

  const other = await spawnWorker(t, environment);
  const ran = await waitFor(
    'the catch-up to start the chained run',
    async () => {
      const e = await execution(downRun);
      return e.state === 'succeeded' ? e : undefined;
    },
    120_000,
  );
  t.equal(ran.pid, other.pid);
  t.match(ran, { job: { job_id: down } });
  await api.app.catchUpChains();
  t.equal((await executionsOf(down)).length, 1, 'one chained run');
  t.same(
    notes().filter((line) => line.startsWith('B-')),
    [`B-up ${upRun}`, `B-down ${downRun}`],
    'the upstream and its chained run each ran once',
  );
});

// Chains (a job's `after`) across two real worker processes: an upstream job firing every 2 seconds that
// succeeds or fails, and three jobs waiting for it — on succeeded, on failed, on finished. Each runs once
// per upstream execution that ended its way (its run's id comes from the upstream execution), and none
// for the others.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainExecutionId, newId } from '@tickwork/domain';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

t.setTimeout(180_000);
const environment = testEnvironment(t, {
  JOB_CLASS_PACKAGES: [
    '@tickwork/sample-jobs',
    fileURLToPath(new URL('./fixtures/chain-jobs.mjs', import.meta.url)),
  ].join(','),
});
const api = await startApi(t, environment);
const workers = [await spawnWorker(t, environment), await spawnWorker(t, environment)];
const marker = join(tmpdir(), `tickwork-chains-${newId()}`);
writeFileSync(marker, '');
t.teardown(() => rmSync(marker, { force: true }));

interface Execution {
  execution_id: string;
  state: string;
  pid: number;
  job: { job_id: string };
}

async function executionsOf(jobId: string): Promise<Execution[]> {
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const res = await api.request('GET', `/api/v1/executions?time_range_start=${start}&time_range_end=${end}`);
  return (res.body.executions as Execution[]).filter((e) => e.job.job_id === jobId);
}

async function createJob(body: Record<string, unknown>): Promise<string> {
  const res = await api.request('POST', '/api/v1/jobs', {
    job_class_string: 'chains.Notes',
    ...body,
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.text}`);
  return res.body.job_id as string;
}

/** A job's arguments to note each run it makes in the marker file, by its execution id. */
const noting = (label: string) => [marker, label];

t.test('one run per upstream execution that ended its way, across two workers', async (t) => {
  const up = await createJob({
    name: 'upstream',
    // Succeeds in even 2-second slots, fails in odd ones: both ends, every few seconds.
    job_class_string: 'chains.Alternates',
    second: '*/1',
  });
  const on = {
    succeeded: await createJob({ name: 'on succeeded', pub_args: noting('s'), after: { job_id: up, on: 'succeeded' } }),
    failed: await createJob({ name: 'on failed', pub_args: noting('f'), after: { job_id: up, on: 'failed' } }),
    finished: await createJob({ name: 'on finished', pub_args: noting('n'), after: { job_id: up, on: 'finished' } }),
  };

  await waitFor(
    'three succeeded and three failed upstream runs',
    async () => {
      const ends = await executionsOf(up);
      return (
        ends.filter((e) => e.state === 'succeeded').length >= 3 && ends.filter((e) => e.state === 'failed').length >= 3
      );
    },
    90_000,
  );
  t.equal((await api.request('PATCH', `/api/v1/jobs/${up}`)).status, 200, 'upstream paused');
  const ended = await waitFor(
    'the upstream runs under way to end',
    async () => {
      const all = await executionsOf(up);
      return all.every((e) => e.state === 'succeeded' || e.state === 'failed') ? all : undefined;
    },
    30_000,
  );
  const expected = {
    succeeded: ended.filter((e) => e.state === 'succeeded'),
    failed: ended.filter((e) => e.state === 'failed'),
    finished: ended,
  };
  const ids = (list: readonly Execution[]) => list.map((e) => e.execution_id).sort();
  for (const [way, jobId] of Object.entries(on) as Array<[keyof typeof on, string]>) {
    const want = expected[way].map((e) => chainExecutionId(jobId, e.execution_id)).sort();
    const runs = await waitFor(
      `the runs on ${way}`,
      async () => {
        const mine = await executionsOf(jobId);
        return mine.length >= want.length && mine.every((e) => e.state === 'succeeded') ? mine : undefined;
      },
      60_000,
    );
    t.same(ids(runs), want, `on ${way}: one run per upstream execution that ${way} (${want.length}), no other`);
  }
  const lines = readFileSync(marker, 'utf8').split('\n').filter(Boolean);
  t.equal(lines.length, expected.succeeded.length + expected.failed.length + expected.finished.length, 'each ran once');
  t.equal(new Set(lines).size, lines.length, 'no run twice');
  const pids = new Set([...ended, ...(await executionsOf(on.finished))].map((e) => e.pid));
  t.same([...pids].sort(), workers.map((w) => w.pid).sort(), 'upstream and chained runs were spread over both workers');
});

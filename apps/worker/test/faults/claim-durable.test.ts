// A claim is durable before its run starts. A worker is killed (SIGKILL) after it took a fire from the
// queue and before its batch reached the store: the fire is neither lost nor run without a record. The
// queue hands it to another worker once its lock runs out, which records it and runs it, once.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@tickwork/domain';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

// The queue gives a dead worker's fire to another once its lock (30 s) runs out and a stalled check sees it.
t.setTimeout(240_000);
const environment = testEnvironment(t);
const api = await startApi(t, environment);
const marker = join(tmpdir(), `tickwork-durable-${newId()}`);
writeFileSync(marker, '');
t.teardown(() => rmSync(marker, { force: true }));

t.test('killed between taking a fire and writing it: recorded and run once, elsewhere', async (t) => {
  // A worker whose inserts wait 10 s for company: the window to kill it in.
  const slow = await spawnWorker(t, environment, { STORE_BATCH_WINDOW_MS: '10000' });
  const due = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'fires once',
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['sh', '-c', `echo "$$" >> ${marker}`],
      hour: String(due.getUTCHours()),
      minute: String(due.getUTCMinutes()),
      second: String(due.getUTCSeconds()),
      timezone: 'UTC',
      misfire_grace_sec: 600,
    })
  ).body;
  await waitFor(
    'the slow worker to take the fire',
    async () => (await api.app.runQueue.getActiveCount()) === 1,
    15_000,
  );
  slow.child.kill('SIGKILL');
  await new Promise((resolve) => slow.child.once('exit', resolve));
  const listed = async () =>
    (
      (await api.request('GET', '/api/v1/executions')).body.executions as Array<{
        job: { job_id: string };
        state: string;
      }>
    ).filter((e) => e.job.job_id === job_id);
  t.same(await listed(), [], 'no record: the batch never reached the store');
  t.equal(readFileSync(marker, 'utf8'), '', 'and no run without one');

  const other = await spawnWorker(t, environment);
  const ran = await waitFor(
    'the fire to be recorded and run by the other worker',
    async () => {
      const mine = await listed();
      return mine[0]?.state === 'succeeded' ? mine : undefined;
    },
    90_000,
  );
  t.equal(ran.length, 1, 'one record for the fire');
  t.match(ran[0], { pid: other.pid, scheduled_time: due.toISOString().replace('Z', '000+00:00') });
  t.equal(readFileSync(marker, 'utf8').split('\n').filter(Boolean).length, 1, 'run once');
});

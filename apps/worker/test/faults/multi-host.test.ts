// Workers on two "hosts" (network namespaces with their own hostnames) reach Redis and the MongoDB-wire
// server over veth links. One host's link is cut mid-run and healed: its run is failed naming that host
// and pid, the other host carries on, and the cut-off worker, back on the network, cannot overwrite the
// final state written meanwhile, nor run the fire again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkHost, PrivateMongo, spawnWorker, startPrivateRedis, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const mongo = await PrivateMongo.start(t, { listenHost: '0.0.0.0' });
const redis = await startPrivateRedis(t, { bind: '0.0.0.0' });
const environment = testEnvironment(t, {
  MONGODB_URL: mongo.url('multihost'),
  REDIS_URL: redis.url(),
  REAPER_INTERVAL_SEC: '1',
  EXECUTION_LEASE_SEC: '4',
});
const api = await startApi(t, environment);
const hosts = [NetworkHost.create(t, 'tw-host-a'), NetworkHost.create(t, 'tw-host-b')];
const scratch = mkdtempSync(join(tmpdir(), 'tickwork-multihost-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

/** A worker on `host`, reaching the services through the host's link. */
function workerOn(t: Parameters<typeof spawnWorker>[0], host: NetworkHost) {
  return spawnWorker(
    t,
    environment,
    { MONGODB_URL: mongo.url('multihost', host.gateway), REDIS_URL: redis.url(host.gateway) },
    (argv) => host.command(argv),
  );
}

async function execution(id: string) {
  return (await api.request('GET', `/api/v1/executions/${id}`)).body;
}

t.test('cut a host mid-run, heal it: failed naming it, no overwrite, no second run', async (t) => {
  const [hostA, hostB] = hosts as [NetworkHost, NetworkHost];
  const workerA = await workerOn(t, hostA);
  const marker = join(scratch, 'runs');
  const long = await api.request('POST', '/api/v1/jobs', {
    name: 'cut off mid-run',
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: ['sh', '-c', `echo started >> ${marker}; sleep 10; echo ended >> ${marker}`],
    hour: '0',
  });
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${long.body.job_id}`)).body;
  const running = await waitFor('the run to be running on host A', async () => {
    const e = await execution(execution_id);
    return e.state === 'running' ? e : undefined;
  });
  t.match(running, { hostname: 'tw-host-a', pid: workerA.pid }, 'recorded under the host’s own name');

  const workerB = await workerOn(t, hostB);
  const ticking = await api.request('POST', '/api/v1/jobs', {
    name: 'fires across the cut',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    second: '*/2',
  });

  hostA.cut();
  const cutAt = Date.now();
  const failed = await waitFor(
    'the cut-off run to be failed',
    async () => {
      const e = await execution(execution_id);
      return e.state === 'failed' ? e : undefined;
    },
    60_000,
  );
  t.ok(Date.now() - cutAt < 60_000, `failed ${Date.now() - cutAt} ms after the cut`);
  t.match(failed.description, new RegExp(`^lost worker tw-host-a pid ${workerA.pid}: no heartbeat since `));
  const workersDuringCut = (await api.request('GET', '/api/v1/workers')).body.workers;
  t.same(
    workersDuringCut.map((w: { hostname: string }) => w.hostname),
    ['tw-host-b'],
    'only host B is listed while A is cut off',
  );
  await waitFor('host B to run a fire while A is cut off', async () => {
    const { body } = await api.request('GET', '/api/v1/executions');
    return body.executions.some(
      (e: { job: { job_id: string }; hostname: string; state: string; scheduled_time: string }) =>
        e.job.job_id === ticking.body.job_id &&
        e.hostname === 'tw-host-b' &&
        e.state === 'succeeded' &&
        Date.parse(e.scheduled_time) > cutAt,
    );
  });

  hostA.heal();
  await waitFor(
    'host A to finish its cut-off run and try to record it',
    () => workerA.output.some((l) => l.includes(execution_id) && l.includes('run succeeded')),
    60_000,
  );
  await waitFor('host A to be listed again', async () =>
    (await api.request('GET', '/api/v1/workers')).body.workers.some((w: { pid: number }) => w.pid === workerA.pid),
  );
  t.match(await execution(execution_id), { state: 'failed', hostname: 'tw-host-a' }, 'the late write was fenced off');
  t.same(readFileSync(marker, 'utf8').split('\n').filter(Boolean), ['started', 'ended'], 'the fire ran once');

  await api.request('DELETE', `/api/v1/jobs/${ticking.body.job_id}`);
  const fires = await waitFor(
    'every fire of the ticking job to be settled',
    async () => {
      const { body } = await api.request('GET', '/api/v1/executions');
      const mine = body.executions.filter((e: { job: { job_id: string } }) => e.job.job_id === ticking.body.job_id);
      return mine.every((e: { state: string }) => !['scheduled', 'running', 'stopping'].includes(e.state))
        ? mine
        : undefined;
    },
    60_000,
  );
  const times = fires.map((e: { scheduled_time: string }) => e.scheduled_time);
  t.equal(new Set(times).size, times.length, `${times.length} fires, none recorded twice`);
  t.equal(workerB.child.exitCode, null, 'host B’s worker ran throughout');
});

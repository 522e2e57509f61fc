// A MongoDB outage under a running worker: the run that ends during it has its state kept and delivered
// after, not written off by the reaper; fires due during it each get exactly one record once MongoDB is
// back. The worker and the API share a MongoDB-wire server of this test's own, which it stops and restarts.
import { PrivateMongo, spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const STEP_MS = 2000;
const mongo = await PrivateMongo.start(t);
const environment = testEnvironment(t, {
  MONGODB_URL: mongo.url('outage'),
  REAPER_INTERVAL_SEC: '1',
  // Short leases: had the worker not vouched for its run, the reaper would write it off right after.
  EXECUTION_LEASE_SEC: '3',
  WORKER_CONCURRENCY: '20',
});
const api = await startApi(t, environment);

interface Execution {
  execution_id: string;
  state: string;
  description: string;
  scheduled_time: string;
  job: { job_id: string };
}

async function executions(): Promise<Execution[]> {
  const range = `time_range_start=${new Date(Date.now() - 3_600_000).toISOString()}`;
  return (await api.request('GET', `/api/v1/executions?${range}`)).body.executions;
}

t.test('through a MongoDB outage: state kept and delivered, every fire recorded once', async (t) => {
  const worker = await spawnWorker(t, environment);
  const ticking = await api.request('POST', '/api/v1/jobs', {
    name: 'fires through the outage',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    second: `*/${STEP_MS / 1000}`,
    max_instances: 20,
  });
  const tickingId = ticking.body.job_id;
  await waitFor('a fire before the outage', async () => (await executions()).some((e) => e.job.job_id === tickingId));

  const long = await api.request('POST', '/api/v1/jobs', {
    name: 'ends during the outage',
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: ['sleep', '4'],
    hour: '0',
  });
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${long.body.job_id}`)).body;
  await waitFor('the long run to be running', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
    return body.state === 'running';
  });
  await mongo.stop();
  t.equal((await api.request('GET', '/api/v1/jobs')).status, 503, 'the API says MongoDB is down');
  await waitFor(
    'the worker to keep the run end it could not write',
    () => worker.output.some((l) => l.includes('recording succeeded: MongoDB unavailable; kept for later')),
    30_000,
  );
  // Keep MongoDB down until the run's lease has long expired and several fires were due.
  const keptAt = Date.now();
  await waitFor('the outage to last past the lease', () => Date.now() - keptAt > 5000, 10_000);
  const outageEnded = Date.now();
  await mongo.start();

  const delivered = await waitFor(
    'the kept state to be delivered',
    async () => {
      const res = await api.request('GET', `/api/v1/executions/${execution_id}`);
      return res.status === 200 && res.body.state !== 'running' ? res.body : undefined;
    },
    30_000,
  );
  t.match(delivered, { state: 'succeeded', description: '' }, 'delivered as it happened, not written off');
  // The worker logs it once the write has answered, so its line may reach us after the API showed the state.
  await waitFor(
    'the worker to say it delivered it',
    () => worker.output.some((l) => l.includes('recording succeeded: delivered now that MongoDB answers again')),
    10_000,
  );
  t.pass('the worker says it delivered it');

  // Fires due during the outage are recorded once MongoDB answers; then the job is stopped.
  await waitFor(
    'fires after the outage',
    async () =>
      (await executions()).some(
        (e) => e.job.job_id === tickingId && Date.parse(e.scheduled_time) > outageEnded + STEP_MS,
      ),
    30_000,
  );
  await api.request('DELETE', `/api/v1/jobs/${tickingId}`);
  const fires = await waitFor(
    'every fire of the ticking job to be settled',
    async () => {
      const mine = (await executions()).filter((e) => e.job.job_id === tickingId);
      return mine.every((e) => !['scheduled', 'running', 'stopping'].includes(e.state)) ? mine : undefined;
    },
    30_000,
  );
  const times = fires.map((e) => Date.parse(e.scheduled_time)).sort((a, b) => a - b);
  t.equal(new Set(times).size, times.length, `${times.length} fires, no fire recorded twice`);
  const gaps = times.slice(1).map((time, i) => time - (times[i] as number));
  t.same(
    gaps.filter((gap) => gap !== STEP_MS),
    [],
    'no fire missing: one record every step, through the outage',
  );
  t.ok(
    times.some((time) => time > keptAt - 5000 && time < outageEnded),
    'some of them were due while MongoDB was down',
  );
});

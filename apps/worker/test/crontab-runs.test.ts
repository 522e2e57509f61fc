// A job scheduled by a crontab line (`cron`) fires through the same path as any job: the API mirrors it
// as a BullMQ scheduler, the repeat strategy asks the crontab trigger, a real worker process runs it.
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { type ApiAnswer, startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
const worker = await spawnWorker(t, environment);

interface Execution {
  state: string;
  pid: number;
  result: string;
  scheduled_time: string;
  job: { job_id: string; cron: string | null };
}

async function executionsOf(jobId: string): Promise<Execution[]> {
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const res: ApiAnswer = await api.request('GET', `/api/v1/executions?time_range_start=${start}&time_range_end=${end}`);
  return (res.body.executions as Execution[])
    .filter((e) => e.job.job_id === jobId)
    .sort((a, b) => Date.parse(a.scheduled_time) - Date.parse(b.scheduled_time));
}

t.test('cron "* * * * * *" (6 fields, every second) fires and records each run once', async (t) => {
  const args = ['crontab', 6];
  const created = await api.request('POST', '/api/v1/jobs', {
    name: 'every second by crontab',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    cron: '* * * * * *',
    pub_args: args,
  });
  t.equal(created.status, 201);
  const jobId = created.body.job_id as string;

  await waitFor(
    'three finished runs',
    async () => (await executionsOf(jobId)).filter((e) => e.state === 'succeeded').length >= 3,
    30_000,
  );
  t.equal((await api.request('DELETE', `/api/v1/jobs/${jobId}`)).status, 200);

  const executions = await executionsOf(jobId);
  const times = executions.map((e) => Date.parse(e.scheduled_time));
  t.equal(new Set(times).size, times.length, 'one record per fire time');
  for (const time of times) t.equal(time % 1000, 0, `${new Date(time).toISOString()} is on a whole second`);
  for (const e of executions.filter((x) => x.state === 'succeeded')) {
    t.equal(e.result, JSON.stringify(args, null, 4), 'run with its arguments');
    t.equal(e.pid, worker.pid, 'by the worker process');
    t.equal(e.job.cron, '* * * * * *', 'the execution keeps the job with its line');
  }
});

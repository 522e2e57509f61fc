// Every curl and $.ajax example of the ndscheduler REST document (shared/seed/ndscheduler-rest-api.txt),
// sent as written against a real API + worker + Redis + MongoDB-wire server, with the documented answer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testEnvironment, waitFor } from '@tickwork/testing';
import { startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
await startWorker(t, environment);
const host = api.base.replace('http://', '');
// curl runs as a child process, asynchronously: the API answering it lives in this process.
const curl = async (args: string[]) => (await promisify(execFile)('curl', args, { encoding: 'utf8' })).stdout;

const ID = /^[0-9a-f]{32}$/;
const cleanApnsJob = {
  job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
  name: 'Clean APNs',
  pub_args: ['arg1', 2],
  month: '*',
  day_of_week: '*',
  day: '*',
  hour: '*/1',
  minute: '*',
};

let firstJobId = '';

t.test('"Run it NOW": curl -X POST localhost/api/v1/jobs with the documented body', async (t) => {
  const out = await curl([
    '--silent',
    '-X',
    'POST',
    `${host}/api/v1/jobs`,
    '--header',
    'Content-Type:application/json',
    '-d',
    '{"job_class_string": "simple_scheduler.jobs.sample_job.AwesomeJob", "name": "My first job", "minute": "*/1", "pub_args": ["arg1", 2]}',
    '--write-out',
    '\n%{http_code}',
  ]);
  const [body, status] = out.split('\n');
  t.equal(status, '201');
  firstJobId = JSON.parse(body as string).job_id;
  t.match(firstJobId, ID);
});

t.test('"Get all jobs": curl localhost/api/v1/jobs', async (t) => {
  const { jobs } = JSON.parse(await curl(['--silent', `${host}/api/v1/jobs`]));
  t.equal(jobs.length, 1);
  t.match(jobs[0], {
    job_id: firstJobId,
    name: 'My first job',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    pub_args: ['arg1', 2],
    month: '*',
    day: '*',
    week: '*',
    day_of_week: '*',
    hour: '*',
    minute: '*/1',
    next_run_time: /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000000\+00:00$/,
  });
});

let cleanApnsId = '';

t.test('$.ajax POST /api/v1/jobs → 201 {job_id}', async (t) => {
  const res = await api.request('POST', '/api/v1/jobs', cleanApnsJob);
  t.equal(res.status, 201);
  t.match(res.body, { job_id: ID });
  cleanApnsId = res.body.job_id;
});

t.test('$.ajax GET /api/v1/jobs → {jobs: [...]}', async (t) => {
  const res = await api.request('GET', '/api/v1/jobs');
  t.equal(res.status, 200);
  t.same(
    res.body.jobs.map((j: { job_id: string }) => j.job_id),
    [firstJobId, cleanApnsId],
  );
});

t.test('$.ajax GET /api/v1/jobs/:job_id → the job', async (t) => {
  const res = await api.request('GET', `/api/v1/jobs/${cleanApnsId}`);
  t.equal(res.status, 200);
  t.match(res.body, { ...cleanApnsJob, job_id: cleanApnsId, week: '*' });
});

t.test('$.ajax PUT /api/v1/jobs/:job_id (no data, as in the sample) → 200 {job_id}', async (t) => {
  const res = await api.request('PUT', `/api/v1/jobs/${cleanApnsId}`);
  t.equal(res.status, 200);
  t.same(res.body, { job_id: cleanApnsId });
});

t.test('$.ajax PATCH /api/v1/jobs/:job_id pauses → 200 {job_id}', async (t) => {
  const res = await api.request('PATCH', `/api/v1/jobs/${cleanApnsId}`);
  t.equal(res.status, 200);
  t.same(res.body, { job_id: cleanApnsId });
  t.equal((await api.request('GET', `/api/v1/jobs/${cleanApnsId}`)).body.next_run_time, '');
});

t.test('$.ajax OPTIONS /api/v1/jobs/:job_id resumes → 200 {job_id}', async (t) => {
  const res = await api.request('OPTIONS', `/api/v1/jobs/${cleanApnsId}`);
  t.equal(res.status, 200);
  t.same(res.body, { job_id: cleanApnsId });
  t.not((await api.request('GET', `/api/v1/jobs/${cleanApnsId}`)).body.next_run_time, '');
});

let executionId = '';

t.test('$.ajax POST /api/v1/executions (run a job) → 200 {execution_id}', async (t) => {
  const res = await api.request('POST', '/api/v1/executions', { job_id: cleanApnsId });
  t.equal(res.status, 200);
  t.match(res.body, { execution_id: ID });
  executionId = res.body.execution_id;
});

t.test('$.ajax GET /api/v1/executions/:execution_id → the execution', async (t) => {
  const execution = await waitFor('the run to succeed', async () => {
    const res = await api.request('GET', `/api/v1/executions/${executionId}`);
    return res.body.state === 'succeeded' ? res.body : undefined;
  });
  t.match(execution, {
    execution_id: executionId,
    state: 'succeeded',
    hostname: /.+/,
    pid: process.pid,
    description: '',
    result: '[\n    "arg1",\n    2\n]',
    scheduled_time: /\+00:00$/,
    updated_time: /\+00:00$/,
    job: {
      job_id: cleanApnsId,
      name: 'Clean APNs',
      task_name: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      pub_args: ['arg1', 2],
      minute: '*',
      hour: '*/1',
      week: '*',
    },
  });
  t.type(execution.task_id, 'string');
});

t.test('$.ajax GET /api/v1/executions?time_range_end=&time_range_start= → {executions}', async (t) => {
  const now = Date.now();
  const start = new Date(now - 60 * 60 * 1000).toISOString();
  const end = new Date(now + 60 * 1000).toISOString();
  const res = await api.request('GET', `/api/v1/executions?time_range_end=${end}&time_range_start=${start}`);
  t.equal(res.status, 200);
  t.ok(res.body.executions.some((e: { execution_id: string }) => e.execution_id === executionId));
  const old = await api.request(
    'GET',
    '/api/v1/executions?time_range_end=2015-12-19T01:31:50.313Z&time_range_start=2015-12-19T00:31:50.313Z',
  );
  t.same(old.body, { executions: [] }, 'the seed sample range of 2015 holds nothing');
});

t.test('$.ajax GET /api/v1/logs?time_range_end=&time_range_start= → {logs}', async (t) => {
  const start = new Date(Date.now() - 60 * 60 * 1000).toISOString();
  const end = new Date(Date.now() + 60 * 1000).toISOString();
  const res = await api.request('GET', `/api/v1/logs?time_range_end=${end}&time_range_start=${start}`);
  t.equal(res.status, 200);
  const events = res.body.logs
    .filter((l: { job_id: string }) => l.job_id === cleanApnsId)
    .map((l: { event: string }) => l.event);
  t.same(events, ['custom_run', 'resumed', 'paused', 'modified', 'added'], 'newest first');
  t.match(res.body.logs[0], {
    job_id: cleanApnsId,
    job_name: 'Clean APNs',
    event: 'custom_run',
    user: '',
    description: executionId,
    created_time: /\+00:00$/,
  });
});

t.test('$.ajax DELETE /api/v1/jobs/:job_id → 200 {job_id}', async (t) => {
  const res = await api.request('DELETE', `/api/v1/jobs/${cleanApnsId}`);
  t.equal(res.status, 200);
  t.same(res.body, { job_id: cleanApnsId });
  const gone = await api.request('GET', `/api/v1/jobs/${cleanApnsId}`);
  t.equal(gone.status, 400);
  t.same(gone.body, { error: `Job not found: ${cleanApnsId}` });
});

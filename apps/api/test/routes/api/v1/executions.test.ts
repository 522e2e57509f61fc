import { testEnvironment, waitFor } from '@tickwork/testing';
import { startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

// CurlJob fetches from this API, on loopback.
const environment = testEnvironment(t, { ALLOW_INTERNAL_URLS: 'true' });
const api = await startApi(t, environment);
await startWorker(t, environment);

async function createJob(job_class_string: string, pub_args: unknown[] = []) {
  const res = await api.request('POST', '/api/v1/jobs', { name: 'run me', job_class_string, pub_args, hour: '0' });
  return res.body.job_id as string;
}

async function finished(executionId: string) {
  return waitFor(`execution ${executionId} to finish`, async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${executionId}`);
    return ['succeeded', 'failed', 'scheduled error'].includes(body.state) ? body : undefined;
  });
}

t.test('run now of an unresolvable class still answers a real id; the run ends as scheduled error', async (t) => {
  const jobId = await createJob('simple_scheduler.jobs.nothing.Here');
  const res = await api.request('POST', `/api/v1/executions/${jobId}`);
  t.equal(res.status, 200);
  t.match(res.body.execution_id, /^[0-9a-f]{32}$/);
  const execution = await finished(res.body.execution_id);
  t.equal(execution.state, 'scheduled error');
  t.match(execution.result, /No job class "simple_scheduler\.jobs\.nothing\.Here"/);
});

t.test('a job that throws ends failed with its stack trace as result', async (t) => {
  const jobId = await createJob('simple_scheduler.jobs.shell_job.ShellJob', []);
  const { body } = await api.request('POST', `/api/v1/executions/${jobId}`);
  const execution = await finished(body.execution_id);
  t.equal(execution.state, 'failed');
  t.match(execution.description, /needs the executable/);
  t.match(execution.result, /Error: ShellJob needs the executable[\s\S]*at /);
});

t.test('ShellJob runs argv without a shell and returns its return code', async (t) => {
  const jobId = await createJob('simple_scheduler.jobs.shell_job.ShellJob', ['/bin/sh', '-c', 'exit 3']);
  const { body } = await api.request('POST', '/api/v1/executions', { job_id: jobId });
  const execution = await finished(body.execution_id);
  t.equal(execution.state, 'succeeded');
  t.equal(execution.result, '{\n    "returncode": 3\n}');
});

t.test('CurlJob returns the body it fetched', async (t) => {
  const jobId = await createJob('simple_scheduler.jobs.curl_job.CurlJob', [`${api.base}/api/v1/job-classes`, 'GET']);
  const { body } = await api.request('POST', `/api/v1/executions/${jobId}`);
  const execution = await finished(body.execution_id);
  t.equal(execution.state, 'succeeded');
  t.match(JSON.parse(JSON.parse(execution.result)), { job_classes: Array });
});

t.test('the executions list filters on scheduled_time and shows newest updated first', async (t) => {
  const jobId = await createJob('simple_scheduler.jobs.sample_job.AwesomeJob', ['a', 'b']);
  const first = (await api.request('POST', `/api/v1/executions/${jobId}`)).body.execution_id;
  await finished(first);
  const second = (await api.request('POST', `/api/v1/executions/${jobId}`)).body.execution_id;
  await finished(second);
  const { body } = await api.request('GET', '/api/v1/executions');
  const ids = body.executions.map((e: { execution_id: string }) => e.execution_id);
  t.ok(ids.indexOf(second) < ids.indexOf(first) && ids.indexOf(first) >= 0, 'default window holds both, newest first');
  const start = new Date(Date.now() + 3_600_000).toISOString();
  const end = new Date(Date.now() + 7_200_000).toISOString();
  const later = await api.request('GET', `/api/v1/executions?time_range_start=${start}&time_range_end=${end}`);
  t.same(later.body, { executions: [] }, 'a window after the runs holds none');
});

t.test('bad input is a 400 naming the problem', async (t) => {
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['GET', '/api/v1/executions?time_range_start=yesterday', undefined, /^time_range_start is not an ISO-8601 time/],
    ['GET', '/api/v1/executions?time_range_end=2015-13-45T99:00:00Z', undefined, /^time_range_end is not/],
    [
      'GET',
      '/api/v1/executions?time_range_start=2016-01-01T00:00:00Z&time_range_end=2015-01-01T00:00:00Z',
      undefined,
      /time_range_start is after time_range_end/,
    ],
    ['GET', '/api/v1/logs?time_range_start=soon', undefined, /^time_range_start is not/],
    ['GET', '/api/v1/executions/xyz', undefined, /Invalid execution_id/],
    ['GET', `/api/v1/executions/${'a'.repeat(32)}`, undefined, /^Execution not found: a{32}$/],
    ['POST', `/api/v1/executions/${'a'.repeat(32)}`, undefined, /^Job not found/],
    ['POST', '/api/v1/executions/nope', undefined, /Invalid job_id/],
    ['POST', '/api/v1/executions', {}, /job_id is required/],
    ['POST', '/api/v1/executions', { job_id: 5 }, /job_id must be string/],
  ];
  for (const [method, path, body, error] of cases) {
    const res = await api.request(method, path, body);
    t.equal(res.status, 400, `${method} ${path} → 400`);
    t.match(res.body, { error }, `${method} ${path}: ${res.body?.error}`);
  }
});

t.test('job classes: what the live workers can run, with ndscheduler meta info', async (t) => {
  const { body } = await api.request('GET', '/api/v1/job-classes');
  t.same(
    body.job_classes.map((c: { job_class_string: string }) => c.job_class_string),
    [
      'simple_scheduler.jobs.curl_job.CurlJob',
      'simple_scheduler.jobs.sample_job.AwesomeJob',
      'simple_scheduler.jobs.shell_job.ShellJob',
      'simple_scheduler.jobs.slack_job.SlackJob',
    ],
  );
  t.match(body.job_classes[1], {
    notes: /.+/,
    arguments: [{ type: 'string', description: /.+/ }, { type: 'string' }],
    example_arguments: /^\[/,
  });
});

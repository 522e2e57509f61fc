// GET /metrics: one scrape of the API sees the fleet — runs ended by state and class, lateness and duration
// from the worker processes (through Redis), queue depth, live workers — and the API's own request times.
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

function sample(text: string, line: RegExp): number {
  const match = text.split('\n').find((l) => line.test(l));
  return match ? Number(match.split(' ').at(-1)) : Number.NaN;
}

t.test('a worker’s runs show up in the API’s scrape', async (t) => {
  await spawnWorker(t, environment);
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'measured',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      second: '*/1',
    })
  ).body;
  await api.request('POST', `/api/v1/executions/${job_id}`);
  const ended =
    /^tickwork_executions_total\{state="succeeded",job_class="simple_scheduler\.jobs\.sample_job\.AwesomeJob"\} /;
  const text = await waitFor('two fires and the run-now measured', async () => {
    const scrape = await api.request('GET', '/metrics');
    const fires = sample(scrape.text, /^tickwork_fire_lateness_seconds_count /);
    return fires >= 2 && sample(scrape.text, ended) >= 3 ? scrape.text : undefined;
  });
  t.ok(
    sample(
      text,
      /^tickwork_executions_total\{state="succeeded",job_class="simple_scheduler\.jobs\.sample_job\.AwesomeJob"\} /,
    ) >= 3,
    'runs ended, by state and class (two fires and the run-now)',
  );
  t.ok(sample(text, /^tickwork_run_duration_seconds_bucket\{le="\+Inf"\} /) >= 3, 'run durations');
  t.ok(sample(text, /^tickwork_fire_lateness_seconds_bucket\{le="1"\} /) >= 2, 'fires started within a second');
  t.equal(sample(text, /^tickwork_workers /), 1, 'one live worker');
  t.match(text, /^tickwork_queue_jobs\{state="delayed"\} \d+$/m);
  t.match(
    text,
    /^tickwork_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/jobs",status_code="201"\} 1$/m,
  );
  t.match(text, /^tickwork_api_process_resident_memory_bytes \d+/m);
  await api.request('DELETE', `/api/v1/jobs/${job_id}`);
});

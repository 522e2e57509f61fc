// Failure notices: a failed run is announced to the fleet-wide webhook and Slack URL and to the job's own
// webhook, retried with backoff when a receiver fails, and never holds up the run. Against a local receiver.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

interface Received {
  path: string;
  body: Record<string, unknown>;
}
const received: Received[] = [];
const held: ServerResponse[] = [];
let hookCalls = 0;
const receiver = createServer((request: IncomingMessage, response: ServerResponse) => {
  let text = '';
  request.on('data', (chunk) => {
    text += chunk;
  });
  request.on('end', () => {
    received.push({ path: request.url ?? '', body: JSON.parse(text) });
    if (request.url === '/hook' && ++hookCalls === 1) return response.writeHead(500).end('not now');
    // The job's own receiver is slow: it answers only when the test says so.
    if (request.url === '/job-hook') return held.push(response);
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
t.teardown(() => {
  for (const response of held) response.end();
  receiver.close();
});
const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const fixture = fileURLToPath(new URL('./fixtures/misbehaving-jobs.mjs', import.meta.url));
const environment = testEnvironment(t, {
  JOB_CLASS_PACKAGES: `@tickwork/sample-jobs,${fixture}`,
  NOTIFY_WEBHOOK_URL: `${base}/hook`,
  NOTIFY_SLACK_URL: `${base}/slack`,
  // The receiver is on loopback.
  ALLOW_INTERNAL_URLS: 'true',
});
const api = await startApi(t, environment);
await spawnWorker(t, environment);

async function runToEnd(body: Record<string, unknown>) {
  const job = await api.request('POST', '/api/v1/jobs', { name: 'announced', hour: '0', ...body });
  if (job.status !== 201) throw new Error(job.text);
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${job.body.job_id}`)).body;
  return waitFor('the run to end', async () => {
    const { body: e } = await api.request('GET', `/api/v1/executions/${execution_id}`);
    return ['succeeded', 'failed'].includes(e.state) ? e : undefined;
  });
}

t.test('a per-job receiver URL is checked', async (t) => {
  const bad = await api.request('POST', '/api/v1/jobs', {
    name: 'x',
    job_class_string: 'a.B',
    hour: '0',
    notify_webhook_url: 'javascript:alert(1)',
  });
  t.equal(bad.status, 400);
  t.match(bad.body.error, /notify_webhook_url/);
});

t.test('a failed run is announced everywhere, retried, and not held up by a slow receiver', async (t) => {
  const quiet = await runToEnd({ job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob' });
  t.equal(quiet.state, 'succeeded');

  const failed = await runToEnd({ job_class_string: 'misbehaving.Throws', notify_webhook_url: `${base}/job-hook` });
  t.equal(failed.state, 'failed', 'recorded failed while its receiver has not answered yet');
  await waitFor('the job’s own receiver to be called', () => held.length === 1);

  await waitFor(
    'the fleet webhook to get it on its second try, and Slack once',
    () => received.filter((r) => r.path === '/hook').length === 2 && received.some((r) => r.path === '/slack'),
  );
  for (const response of held.splice(0)) response.writeHead(204).end();

  const notice = {
    event: 'execution.ended',
    execution_id: failed.execution_id,
    state: 'failed',
    description: 'thrown on purpose',
    job_id: failed.job.job_id,
    job_name: 'announced',
    job_class_string: 'misbehaving.Throws',
  };
  for (const path of ['/hook', '/job-hook']) {
    t.match(received.find((r) => r.path === path)?.body, notice, `${path} got the notice`);
  }
  t.match(received.find((r) => r.path === '/slack')?.body, {
    text: new RegExp(
      `^Tickwork: job "announced" \\(misbehaving\\.Throws\\) ended failed on .+ execution ${failed.execution_id}: thrown on purpose$`,
    ),
  });
  t.notOk(
    received.some((r) => JSON.stringify(r.body).includes(quiet.execution_id)),
    'a succeeded run is not announced',
  );
});

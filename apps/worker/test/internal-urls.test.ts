// CurlJob and failure webhooks reach loopback, link-local and private addresses only as ALLOW_INTERNAL_URLS
// allows, checked where the connection is made: after DNS (a name resolving to 127.0.0.1 is refused) and
// for every redirect. Against local receivers on 127.0.0.1 and 127.0.0.2, a real worker and the API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRedis, NOTIFICATION_QUEUE_NAME } from '@tickwork/queue';
import { testEnvironment, waitFor } from '@tickwork/testing';
import { runToEnd, startApi, startWorker } from '@tickwork/testkit';
import { Queue } from 'bullmq';
import t from 'tap';

const requests: string[] = [];

/** A receiver on `host` answering 200 "reached <host>", or redirecting to `redirect` when given. */
async function receiver(host: string, redirect?: () => string): Promise<string> {
  const server: Server = createServer((request, response) => {
    requests.push(`${host}${request.url}`);
    request.resume();
    if (redirect) response.writeHead(302, { location: redirect() }).end();
    else response.writeHead(200).end(`reached ${host}`);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

const loopback = await receiver('127.0.0.1');
const other = await receiver('127.0.0.2');
const redirecting = await receiver('127.0.0.1', () => `${other}/redirected`);

const fixture = fileURLToPath(new URL('./fixtures/misbehaving-jobs.mjs', import.meta.url));

async function curl(api: Awaited<ReturnType<typeof startApi>>, url: string) {
  const job = await api.request('POST', '/api/v1/jobs', {
    name: `curl ${url}`,
    job_class_string: 'simple_scheduler.jobs.curl_job.CurlJob',
    pub_args: [url, 'GET'],
    hour: '0',
  });
  if (job.status !== 201) throw new Error(job.text);
  return runToEnd(api, job.body.job_id);
}

t.test('by default', async (t) => {
  const environment = testEnvironment(t, { JOB_CLASS_PACKAGES: `@tickwork/sample-jobs,${fixture}` });
  const api = await startApi(t, environment);
  await startWorker(t, environment);

  t.test('a CurlJob to 127.0.0.1 fails, naming the address and the setting', async (t) => {
    const run = await curl(api, `${loopback}/direct`);
    t.equal(run.state, 'failed');
    t.match(run.description, /^refused to connect to 127\.0\.0\.1: a loopback address, and ALLOW_INTERNAL_URLS/);
    t.notOk(requests.includes('127.0.0.1/direct'), 'the receiver got nothing');
  });

  t.test('so does one to a name that resolves to loopback', async (t) => {
    const run = await curl(api, `${loopback.replace('127.0.0.1', 'localhost')}/by-name`);
    t.equal(run.state, 'failed');
    t.match(
      run.description,
      /^refused to connect to localhost \((127\.0\.0\.1|::1)\): a loopback address.*ALLOW_INTERNAL_URLS/,
    );
    t.notOk(requests.includes('127.0.0.1/by-name'));
  });

  t.test('a failure webhook at an internal address is refused, and not tried again', async (t) => {
    const job = await api.request('POST', '/api/v1/jobs', {
      name: 'announced',
      job_class_string: 'misbehaving.Throws',
      notify_webhook_url: `${loopback}/hook`,
      hour: '0',
    });
    t.equal((await runToEnd(api, job.body.job_id)).state, 'failed');
    const redis = createRedis(environment.config.redisUrl);
    const notices = new Queue(NOTIFICATION_QUEUE_NAME, { connection: redis, prefix: environment.config.queuePrefix });
    t.teardown(async () => {
      await notices.close();
      redis.disconnect();
    });
    // What Bull Board shows an admin.
    const [failed] = await waitFor('the notice to fail', async () => {
      const list = await notices.getFailed();
      return list.length > 0 ? list : undefined;
    });
    t.match(failed?.failedReason, /^refused to connect to 127\.0\.0\.1: a loopback address.*ALLOW_INTERNAL_URLS/);
    t.equal(failed?.attemptsMade, 1, 'a refusal is final: no retries');
    t.notOk(requests.includes('127.0.0.1/hook'), 'the receiver got nothing');
  });
});

t.test('with ALLOW_INTERNAL_URLS naming 127.0.0.1', async (t) => {
  const environment = testEnvironment(t, { ALLOW_INTERNAL_URLS: '127.0.0.1' });
  const api = await startApi(t, environment);
  await startWorker(t, environment);

  t.test('a CurlJob to 127.0.0.1 gets its answer', async (t) => {
    const run = await curl(api, `${loopback}/allowed`);
    t.equal(run.state, 'succeeded');
    t.equal(JSON.parse(run.result), 'reached 127.0.0.1');
  });

  t.test('a redirect from there to another internal address is refused', async (t) => {
    const run = await curl(api, `${redirecting}/start`);
    t.equal(run.state, 'failed');
    t.match(run.description, /^refused to connect to 127\.0\.0\.2: a loopback address, and ALLOW_INTERNAL_URLS/);
    t.ok(requests.includes('127.0.0.1/start'), 'the allowed address was asked');
    t.notOk(requests.includes('127.0.0.2/redirected'), 'the redirect target got nothing');
  });
});

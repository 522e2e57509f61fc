// A client that announces a body and never sends it (or never finishes its headers, or says nothing at all)
// no longer holds a connection: after REQUEST_TIMEOUT_SEC it is answered 408 in JSON and closed. Idle
// keep-alive connections and answers that take longer than the request timeout are not affected. Timeouts
// of 1 s (and CONNECTION_TIMEOUT_SEC 2 s) here; every wait has a deadline.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { buildApp } from '@tickwork/api';
import { type RawAnswer, rawHttp, testEnvironment } from '@tickwork/testing';
import t, { type Test } from 'tap';

const environment = testEnvironment(t, { REQUEST_TIMEOUT_SEC: '1', CONNECTION_TIMEOUT_SEC: '2' });
const app = await buildApp(environment.config, { logger: { level: 'error' } });
// An answer that takes as long as the test says: a stand-in for a slow list or a long poll.
let releaseSlow: () => void = () => undefined;
const slowReleased = new Promise<void>((resolve) => {
  releaseSlow = resolve;
});
app.get('/test/slow', { config: { access: 'viewer' } }, async () => {
  await slowReleased;
  return { slow: 'done' };
});
await app.listen({ host: '127.0.0.1', port: 0 });
t.teardown(() => {
  releaseSlow(); // a failed test must not leave it holding the close
  return app.close();
});
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const { host } = new URL(base);

/** A POST /api/v1/jobs that announces 1000 bytes of JSON and sends `sent` of them. */
const stalledPost = (sent = '') =>
  `POST /api/v1/jobs HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n${sent}`;

function expectTimeout(t: Test, answer: RawAnswer, what: string) {
  t.equal(answer.status, 408, `${what}: 408`);
  t.match(answer.headers['content-type'], /^application\/json/, what);
  t.same(
    answer.body,
    { error: 'request timeout: the request, headers and body, did not arrive within 1 s (REQUEST_TIMEOUT_SEC)' },
    `${what}: says why`,
  );
  t.ok(answer.closedAfterMs >= 900, `${what}: not before the timeout (${answer.closedAfterMs} ms)`);
  t.ok(answer.closedAfterMs < 4000, `${what}: closed within the limit (${answer.closedAfterMs} ms)`);
}

t.test('a body that never arrives is answered 408 JSON and closed after REQUEST_TIMEOUT_SEC', async (t) => {
  expectTimeout(t, await rawHttp(base, stalledPost(), 10_000), 'nothing of the body');
  expectTimeout(t, await rawHttp(base, stalledPost('{"name": "half'), 10_000), 'part of the body');
  expectTimeout(t, await rawHttp(base, `GET /api/v1/jobs HTTP/1.1\r\nHost: ${host}\r\nX-Slow:`, 10_000), 'headers');
  t.same(await app.store.jobs.list(10).then((page) => page.items), [], 'nothing was stored');
});

t.test('a connection that sends nothing is answered 408 and closed after REQUEST_TIMEOUT_SEC too', async (t) => {
  expectTimeout(t, await rawHttp(base, '', 10_000), 'not a byte');
});

t.test('keep-alive connections and slow answers outlive the request timeout', async (t) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const get = (path: string) =>
    new Promise<{ res: IncomingMessage; text: string; reused: boolean }>((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ res, text, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });
  const first = await get('/healthz');
  t.equal(first.res.statusCode, 200);

  // A stalled request opened after both is closed by the timeout: by then the idle keep-alive connection
  // and the slow request have lived longer than REQUEST_TIMEOUT_SEC, and the server has checked them.
  const slow = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(`${base}/test/slow`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
  expectTimeout(t, await rawHttp(base, stalledPost(), 10_000), 'the stalled request beside them');

  const second = await get('/healthz');
  t.equal(second.res.statusCode, 200, 'the keep-alive connection still answers');
  t.ok(second.reused, 'on the same connection');
  releaseSlow();
  t.same(await slow, { status: 200, text: '{"slow":"done"}' }, 'the slow answer arrives whole');
});

// DNS rebinding: with no users, a web page on a domain rebound to 127.0.0.1 could reach the open API. Its
// requests carry that domain in Host, so an API without users answers only loopback Hosts with its own
// port, and those in ALLOWED_HOSTS. Node's fetch sets Host itself: these requests go through node:http.
import { request } from 'node:http';
import { type RawAnswer, rawHttp, testEnvironment } from '@tickwork/testing';
import { type ApiClient, startApi } from '@tickwork/testkit';
import t, { type Test } from 'tap';

interface Answer {
  status: number;
  contentType: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON the API answered
  body: any;
}

/** GET `path` from the API with this Host header (none when null). */
function getWithHost(api: ApiClient, path: string, host: string | null): Promise<Answer> {
  const { hostname, port } = new URL(api.base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: the test sees the text
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
      });
    });
    req.on('error', reject);
    if (host !== null) req.setHeader('host', host);
    req.end();
  });
}

function portOf(api: ApiClient): number {
  return Number(new URL(api.base).port);
}

t.test('with no users, a Host that is not loopback with our port is refused everywhere', async (t) => {
  const api = await startApi(t, testEnvironment(t));
  const port = portOf(api);
  for (const path of ['/api/v1/jobs', '/', '/healthz', '/no/such/page']) {
    const answer = await getWithHost(api, path, `evil.example:${port}`);
    t.equal(answer.status, 403, `${path}: refused`);
    t.match(answer.contentType, /^application\/json/);
    t.match(answer.body, {
      error: new RegExp(`^Host "evil\\.example:${port}" is refused: .* add it to ALLOWED_HOSTS`),
    });
  }
  for (const host of [`localhost:${port + 1}`, `127.0.0.1:${port === 65535 ? 1 : port + 1}`, 'localhost']) {
    t.equal((await getWithHost(api, '/api/v1/jobs', host)).status, 403, `${host}: another port is refused`);
  }
  const none = await getWithHost(api, '/healthz', null);
  t.equal(none.status, 403, 'no Host at all is refused too');
  t.match(none.body, { error: /^a request without a Host header is refused/ });

  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `127.1.2.3:${port}`]) {
    const answer = await getWithHost(api, '/api/v1/jobs', host);
    t.equal(answer.status, 200, `${host} passes`);
    t.same(answer.body, { jobs: [] });
  }
  t.equal((await getWithHost(api, '/healthz', `localhost:${port}`)).status, 200);
});

t.test('ALLOWED_HOSTS lets a listed host in', async (t) => {
  const api = await startApi(t, testEnvironment(t, { ALLOWED_HOSTS: 'tickwork.internal, ops.example:9999' }));
  const port = portOf(api);
  t.equal((await getWithHost(api, '/api/v1/jobs', `tickwork.internal:${port}`)).status, 200, 'a host on any port');
  t.equal((await getWithHost(api, '/api/v1/jobs', 'tickwork.internal')).status, 200);
  t.equal((await getWithHost(api, '/api/v1/jobs', 'ops.example:9999')).status, 200, 'a host:port as listed');
  t.equal((await getWithHost(api, '/api/v1/jobs', `ops.example:${port}`)).status, 403, 'not on another port');
  t.equal((await getWithHost(api, '/api/v1/jobs', `evil.example:${port}`)).status, 403, 'nor another host');
});

t.test('with a user, Host is not checked (authentication guards the API)', async (t) => {
  const api = await startApi(t, testEnvironment(t, { SESSION_SECRET: 'a-session-secret-of-at-least-32-characters' }));
  await api.app.userService.add('ann', 'Very$ecret', 'admin');
  const port = portOf(api);
  t.equal((await getWithHost(api, '/healthz', `evil.example:${port}`)).status, 200, 'an open route answers');
  const jobs = await getWithHost(api, '/api/v1/jobs', `evil.example:${port}`);
  t.equal(jobs.status, 401, 'a closed one asks for a login, as for any host');
  const none = await getWithHost(api, '/healthz', null);
  t.same([none.status, none.body], [400, { error: 'the request has no Host header' }], 'no Host is a 400');
});

t.test('without Host, with several, or a malformed one: JSON naming the problem, with users or not', async (t) => {
  const open = await startApi(t, testEnvironment(t));
  const closed = await startApi(
    t,
    testEnvironment(t, { SESSION_SECRET: 'a-session-secret-of-at-least-32-characters' }),
  );
  await closed.app.userService.add('ann', 'Very$ecret', 'admin');
  const send = (api: ApiClient, head: string) => rawHttp(api.base, `${head}\r\n\r\n`);
  const json = (t: Test, answer: RawAnswer, status: number, error: RegExp | string, what: string) => {
    t.equal(answer.status, status, what);
    t.match(answer.headers['content-type'], /^application\/json/, `${what}: JSON`);
    t.match(answer.body, { error }, `${what}: says why`);
  };
  for (const [name, api] of [
    ['no users', open],
    ['users', closed],
  ] as const) {
    const host = new URL(api.base).host;
    json(
      t,
      await send(api, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nConnection: close`),
      400,
      'the request has 2 Host headers; one is allowed',
      `${name}: two Hosts`,
    );
    json(
      t,
      await send(api, 'GET /healthz HTTP/1.1\r\nHost: a b\r\nConnection: close'),
      400,
      'the Host header "a b" is not a host or host:port',
      `${name}: a Host that is no host`,
    );
    const head = await send(api, 'HEAD /healthz HTTP/1.1\r\nConnection: close');
    t.equal(head.status, name === 'users' ? 400 : 403, `${name}: HEAD without Host, refused (a HEAD has no body)`);
    t.match(head.headers['content-type'], /^application\/json/);
  }

  // With no users a request must name a loopback Host, whatever its HTTP version.
  json(t, await send(open, 'GET /healthz HTTP/1.0'), 403, /^a request without a Host header is refused/, 'HTTP/1.0');
  // With users HTTP/1.1 requires Host; HTTP/1.0 does not, and is answered as any request (probes send none).
  json(
    t,
    await send(closed, 'GET /healthz HTTP/1.1\r\nConnection: close'),
    400,
    'the request has no Host header',
    '1.1',
  );
  const probe = await send(closed, 'GET /healthz HTTP/1.0');
  t.same([probe.status, probe.body], [200, { status: 'ok' }], 'HTTP/1.0 without Host: served');
  json(
    t,
    await send(closed, 'GET /api/v1/jobs HTTP/1.0'),
    401,
    /^authentication required/,
    'HTTP/1.0 without Host: the API still needs a login',
  );
});

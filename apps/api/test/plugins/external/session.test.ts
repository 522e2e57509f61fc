// Sessions live in Redis: log in on one API process, use another, and keep the session across a restart.

import { loginCookie, spawnApi, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import { Redis } from 'ioredis';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});

t.test('two API processes share sessions, and a restart keeps them', async (t) => {
  const a = await spawnApi(t, environment);
  const b = await spawnApi(t, environment);
  const cookie = await loginCookie(a.base, 'admin', 'Very$ecret');
  const onB = await fetch(`${b.base}/api/v1/session`, { headers: { cookie } });
  t.equal(onB.status, 200, 'logged in on A, used on B');
  t.match(await onB.json(), { user: 'admin', role: 'admin' });
  const redis = new Redis(environment.config.redisUrl);
  t.teardown(() => redis.disconnect());
  const keys = await redis.keys(`${environment.config.queuePrefix}:session:*`);
  t.equal(keys.length, 1, 'one session, in Redis');
  const ttl = await redis.ttl(keys[0] as string);
  t.ok(ttl > 28_000 && ttl <= 28_800, `it expires with SESSION_TTL_SEC (${ttl} s left)`);

  const exited = new Promise((r) => a.child.once('exit', r));
  a.child.kill('SIGTERM');
  await exited;
  const restarted = await spawnApi(t, environment);
  t.equal((await fetch(`${restarted.base}/api/v1/jobs`, { headers: { cookie } })).status, 200, 'after a restart');

  t.equal((await fetch(`${b.base}/logout`, { method: 'POST', headers: { cookie } })).status, 200);
  t.equal(
    (await fetch(`${restarted.base}/api/v1/jobs`, { headers: { cookie } })).status,
    401,
    'logged out on B, gone on the other process too',
  );
});

t.test('COOKIE_SECURE=true: a Secure cookie, over HTTPS only (here through a trusted proxy)', async (t) => {
  const secure = testEnvironment(t, {
    SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Very$ecret',
    COOKIE_SECURE: 'true',
    TRUST_PROXY: '127.0.0.1',
  });
  const api = await startApi(t, secure);
  const plain = await api.request('POST', '/login', { username: 'admin', password: 'Very$ecret' });
  t.equal(plain.status, 400);
  t.match(plain.body.error, /^COOKIE_SECURE=true and this request came over plain HTTP/);
  const res = await api.request(
    'POST',
    '/login',
    { username: 'admin', password: 'Very$ecret' },
    { 'x-forwarded-proto': 'https' },
  );
  t.equal(res.status, 200);
  t.match(res.headers.get('set-cookie'), /; Secure/);
  t.match(res.headers.get('content-security-policy'), /upgrade-insecure-requests/);
});

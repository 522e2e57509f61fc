// Login throttling, per username and per address, counted in Redis so every API process shares the count.
import { startApi, testEnvironment } from '@tickwork/testing';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
  LOGIN_ATTEMPTS_PER_USERNAME: '3',
  LOGIN_ATTEMPTS_PER_IP: '6',
  LOGIN_ATTEMPTS_WINDOW_SEC: '600',
});
const api = await startApi(t, environment);
const login = (username: string, password: string) =>
  api.request('POST', '/login', new URLSearchParams({ username, password }).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });

t.test('per username: after the limit even the right password gets 429 with Retry-After', async (t) => {
  for (let i = 0; i < 3; i++) t.equal((await login('admin', 'wrong password')).status, 401);
  const throttled = await login('ADMIN', 'Very$ecret');
  t.equal(throttled.status, 429, 'the name counts case-insensitively');
  const retryAfter = Number(throttled.headers.get('retry-after'));
  t.ok(retryAfter > 0 && retryAfter <= 600, `Retry-After: ${retryAfter}`);
  t.match(throttled.body, { error: /rate limit/i });
  t.equal(throttled.headers.get('set-cookie'), null);
  const keys = await api.app.redis.keys(`${environment.config.queuePrefix}:rate-limit:*`);
  t.ok(keys.length > 0, 'counted in Redis under QUEUE_PREFIX');
});

t.test('per address: other names from the same address are throttled too', async (t) => {
  // 4 attempts so far from this address; two more are allowed.
  t.equal((await login('someone', 'x')).status, 401);
  t.equal((await login('someone-else', 'x')).status, 401);
  const throttled = await login('a-third-name', 'x');
  t.equal(throttled.status, 429);
  t.ok(Number(throttled.headers.get('retry-after')) > 0);
});

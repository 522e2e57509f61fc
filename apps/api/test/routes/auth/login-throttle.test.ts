// Login throttling: failures only, per username and client address (so nobody locks a user out from
// elsewhere), per address, and a cap per username across addresses that slows rather than blocks; POST
// /passwd the same way. Client addresses come from X-Forwarded-For, the test being the trusted proxy.
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
  LOGIN_ATTEMPTS_PER_USERNAME: '3',
  LOGIN_ATTEMPTS_PER_IP: '6',
  LOGIN_SLOWDOWN_AFTER: '5',
  LOGIN_ATTEMPTS_WINDOW_SEC: '600',
  TRUST_PROXY: '127.0.0.1',
});
const api = await startApi(t, environment);
for (const name of ['ann', 'bob', 'cid', 'dee']) await api.app.userService.add(name, `${name} password`, 'editor');

const login = (username: string, password: string, from: string) =>
  api.request('POST', '/login', new URLSearchParams({ username, password }).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    'x-forwarded-for': from,
  });

t.test("failures from another address do not lock a user out; the guesser's own address is", async (t) => {
  for (let i = 0; i < 3; i++) t.equal((await login('ann', 'wrong password', '203.0.113.66')).status, 401);
  const attacker = await login('ANN', 'ann password', '203.0.113.66');
  t.equal(attacker.status, 429, 'that address, that name (counted case-insensitively): 429 even when right');
  const retryAfter = Number(attacker.headers.get('retry-after'));
  t.ok(retryAfter > 0 && retryAfter <= 600, `Retry-After: ${retryAfter}`);
  t.match(attacker.body, { error: /too many failed logins \(rate limit\): retry in \d+ s/ });
  t.equal(attacker.headers.get('set-cookie'), null);

  const owner = await login('ann', 'ann password', '198.51.100.7');
  t.same([owner.status, owner.body], [200, { user: 'ann', role: 'editor' }], 'the user, elsewhere, logs in');
});

t.test('only failures count, and a success clears them', async (t) => {
  const from = '198.51.100.8';
  for (let i = 0; i < 5; i++) t.equal((await login('bob', 'bob password', from)).status, 200, `login ${i + 1}`);
  for (let round = 0; round < 2; round++) {
    t.equal((await login('bob', 'typo', from)).status, 401);
    t.equal((await login('bob', 'typo again', from)).status, 401);
    t.equal((await login('bob', 'bob password', from)).status, 200, `round ${round}: two typos, then in`);
  }
});

t.test('one address failing for many names is throttled as a whole', async (t) => {
  const from = '203.0.113.99';
  for (const name of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']) t.equal((await login(name, 'x', from)).status, 401);
  const throttled = await login('cid', 'cid password', from);
  t.equal(throttled.status, 429);
  t.ok(Number(throttled.headers.get('retry-after')) > 0);
  t.equal((await login('cid', 'cid password', '198.51.100.9')).status, 200, 'not another address');
});

t.test('failures for one name from many addresses slow its logins down, never refuse them', async (t) => {
  for (let i = 1; i <= 6; i++) t.equal((await login('dee', 'wrong password', `192.0.2.${i}`)).status, 401);
  const started = performance.now();
  const res = await login('dee', 'dee password', '198.51.100.10');
  const ms = performance.now() - started;
  t.same([res.status, res.body], [200, { user: 'dee', role: 'editor' }], 'the right password still works');
  t.ok(ms >= 1000, `the attempt waited (${Math.round(ms)} ms)`);
});

t.test('POST /passwd is throttled the same way', async (t) => {
  await api.app.userService.add('eve', 'eve password', 'viewer');
  const from = '203.0.113.5';
  const cookie = await loginCookie(api.base, 'eve', 'eve password');
  const passwd = (old_password: string, new_password: string, at: string) =>
    api.request('POST', '/passwd', { old_password, new_password }, { cookie, 'x-forwarded-for': at });
  const tooShort = await passwd('eve password', 'short', from);
  t.same([tooShort.status, tooShort.body], [400, { error: 'new_password must be at least 8 characters' }]);
  for (let i = 0; i < 3; i++) {
    const wrong = await passwd('guess', 'new password', from);
    t.same([wrong.status, wrong.body], [403, { error: 'old_password is wrong' }], 'a bad new password did not count');
  }
  const throttled = await passwd('eve password', 'new password', from);
  t.equal(throttled.status, 429, 'a stolen session cannot go on guessing the password');
  t.ok(Number(throttled.headers.get('retry-after')) > 0);
  const elsewhere = await passwd('eve password', 'new password', '198.51.100.11');
  t.equal(elsewhere.status, 200, 'the user, from another address');
});

t.test('the counts live in Redis under QUEUE_PREFIX, keyed by digests', async (t) => {
  const keys = await api.app.redis.keys(`${environment.config.queuePrefix}:login-throttle:*`);
  t.ok(keys.length > 0);
  for (const key of keys) t.match(key, /:login-throttle:(pair|client|user):[0-9a-f]{64}$/);
});

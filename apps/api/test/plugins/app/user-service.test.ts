// Start-up as a real API process: the ADMIN_USERNAME bootstrap, and where it may listen with or without users.
import { loginCookie, runApiToExit, spawnApi, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const SECRET = 'a-session-secret-of-at-least-32-characters';
// Nine API processes started one after another: 55 s on a quiet machine, past the suite's 120 s on a busy one.
t.setTimeout(300_000);

t.test('with no users it listens on loopback only, and says so', async (t) => {
  const environment = testEnvironment(t);
  const api = await spawnApi(t, environment, { LOG_LEVEL: 'info' });
  await waitFor('the log line', () =>
    api.output.some((l) => l.includes('no users, so authentication is off: listening on loopback only (127.0.0.1)')),
  );
  t.equal((await fetch(`${api.base}/api/v1/jobs`)).status, 200, 'anonymous, as ndscheduler');
});

t.test('with no users it refuses to listen elsewhere', async (t) => {
  const environment = testEnvironment(t);
  const { code, output } = await runApiToExit(t, environment, { HOST: '0.0.0.0' });
  t.equal(code, 2);
  t.match(
    output.join('\n'),
    'tickwork api: refusing to start: no users exist, so authentication is off: refusing to listen on HOST=0.0.0.0',
  );
  t.match(output.join('\n'), /ALLOW_ANONYMOUS=true/);
  t.notMatch(output.join('\n'), /\n\s+at /, 'one line, no stack trace');
});

t.test('ALLOW_ANONYMOUS=true lets it listen elsewhere without users, with a warning', async (t) => {
  const environment = testEnvironment(t);
  const api = await spawnApi(t, environment, { HOST: '0.0.0.0', ALLOW_ANONYMOUS: 'true' });
  await waitFor('the warning', () => api.output.some((l) => l.includes('no users and ALLOW_ANONYMOUS=true')));
  t.equal((await fetch(`${api.base}/api/v1/jobs`)).status, 200);
});

t.test('ADMIN_USERNAME creates that admin when absent and leaves an existing one alone', async (t) => {
  const environment = testEnvironment(t, { SESSION_SECRET: SECRET });
  const first = await spawnApi(t, environment, {
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: 'Very$ecret',
    LOG_LEVEL: 'info',
  });
  t.ok(first.output.some((l) => l.includes('created the admin from ADMIN_USERNAME')));
  t.ok(first.output.some((l) => l.includes('authentication is on (1 user(s))')));
  t.equal((await fetch(`${first.base}/api/v1/jobs`)).status, 401, 'auth is on');
  const cookie = await loginCookie(first.base, 'root', 'Very$ecret');
  const who = await fetch(`${first.base}/api/v1/session`, { headers: { cookie } });
  t.match(await who.json(), { user: 'root', role: 'admin', via: 'session' });
  first.child.kill('SIGTERM');

  const second = await spawnApi(t, environment, { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'another password' });
  t.ok(await loginCookie(second.base, 'root', 'Very$ecret'), 'the stored password is kept');
  await t.rejects(loginCookie(second.base, 'root', 'another password'), /401/);
});

t.test('with users, SESSION_SECRET is required', async (t) => {
  const environment = testEnvironment(t, { SESSION_SECRET: SECRET });
  const api = await spawnApi(t, environment, { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'Very$ecret' });
  api.child.kill('SIGTERM');
  const { code, output } = await runApiToExit(t, { ...environment, env: { ...environment.env, SESSION_SECRET: '' } });
  t.equal(code, 2);
  t.match(output.join('\n'), 'refusing to start: SESSION_SECRET is required (at least 32 characters): 1 user(s) exist');
});

t.test('a bad ADMIN_USERNAME or ADMIN_PASSWORD stops the start with a message naming it', async (t) => {
  const environment = testEnvironment(t, { SESSION_SECRET: SECRET });
  const badName = await runApiToExit(t, environment, { ADMIN_USERNAME: 'no spaces', ADMIN_PASSWORD: 'Very$ecret' });
  t.equal(badName.code, 2);
  t.match(badName.output.join('\n'), 'refusing to start: ADMIN_USERNAME must be 1-64 letters');
  const shortPassword = await runApiToExit(t, environment, { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'short' });
  t.equal(shortPassword.code, 2);
  t.match(shortPassword.output.join('\n'), 'refusing to start: ADMIN_PASSWORD must be at least 8 characters');
  const noSecret = await runApiToExit(t, environment, {
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: 'Very$ecret',
    SESSION_SECRET: '',
  });
  t.equal(noSecret.code, 2);
  t.match(noSecret.output.join('\n'), 'configuration error: SESSION_SECRET: is required when ADMIN_USERNAME is set');
});

t.test('the first user added while running without users turns authentication on at once', async (t) => {
  const environment = testEnvironment(t);
  const api = await startApi(t, environment);
  const added = await api.request('POST', '/api/v1/users', {
    username: 'first',
    password: 'Very$ecret',
    role: 'admin',
  });
  t.same([added.status, added.body], [201, { username: 'first', role: 'admin' }], 'open while no user exists');
  t.equal((await api.request('GET', '/api/v1/jobs')).status, 401, 'closed from the next request on');
  const login = await api.request('POST', '/login', { username: 'first', password: 'Very$ecret' });
  t.same(
    [login.status, login.body],
    [503, { error: 'logins are off until the API is restarted with SESSION_SECRET set' }],
    'no session is signed with a secret nobody chose',
  );
  t.equal(login.headers.get('set-cookie'), null);
});

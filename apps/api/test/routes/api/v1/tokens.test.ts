// API tokens: created by an admin, shown once, stored hashed, usable as Bearer on every route, revocable.
import { loginCookie, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
await startWorker(t, environment);
const admin = { cookie: await loginCookie(api.base, 'admin', 'Very$ecret') };
const job = { name: 'nightly', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', minute: '*/5' };

t.test('a token acts with its role, the audit log names it, and revoking it closes the door', async (t) => {
  const created = await api.request('POST', '/api/v1/tokens', { name: 'deployer', role: 'editor' }, admin);
  t.equal(created.status, 201);
  t.match(created.body, { name: 'deployer', role: 'editor', token: /^twk_[\w-]{43}$/ });
  const bearer = { authorization: `Bearer ${created.body.token}` };

  const listed = await api.request('GET', '/api/v1/tokens', undefined, admin);
  t.match(listed.body.tokens, [
    { name: 'deployer', role: 'editor', created_by: 'admin', created_time: String, expires_at: null, expired: false },
  ]);
  t.notMatch(listed.text, created.body.token, 'never shown again');
  const stored = JSON.stringify(await api.app.store.apiTokens.list());
  t.notMatch(stored, created.body.token, 'not stored as such');
  t.match(stored, /"token_hash":"[0-9a-f]{64}"/);

  // Writes with a token need neither JSON nor a CSRF token: no browser sends it by itself.
  const made = await api.request('POST', '/api/v1/jobs', job, bearer);
  t.equal(made.status, 201);
  const id = made.body.job_id;
  const run = await api.request('POST', `/api/v1/executions/${id}`, undefined, bearer);
  t.equal(run.status, 200);
  await waitFor('the run to finish', async () => {
    const res = await api.request('GET', `/api/v1/executions/${run.body.execution_id}`, undefined, bearer);
    return res.body.state === 'succeeded';
  });
  const logs = await api.request('GET', '/api/v1/logs', undefined, bearer);
  t.match(
    logs.body.logs.filter((l: { job_id: string }) => l.job_id === id),
    [
      { event: 'custom_run', user: 'token:deployer' },
      { event: 'added', user: 'token:deployer' },
    ],
  );
  t.equal((await api.request('GET', '/api/v1/users', undefined, bearer)).status, 403, 'an editor token is no admin');

  const revoked = await api.request('DELETE', '/api/v1/tokens/deployer', '', {
    ...admin,
    'content-type': 'application/json',
  });
  t.same([revoked.status, revoked.body], [200, { name: 'deployer' }]);
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, bearer)).status, 401);
});

t.test('an admin token manages users; a viewer token only reads', async (t) => {
  const root = (await api.request('POST', '/api/v1/tokens', { name: 'ops', role: 'admin' }, admin)).body.token;
  const reader = (await api.request('POST', '/api/v1/tokens', { name: 'dashboard', role: 'viewer' }, admin)).body.token;
  t.equal((await api.request('GET', '/api/v1/users', undefined, { authorization: `Bearer ${root}` })).status, 200);
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, { authorization: `Bearer ${reader}` })).status, 200);
  t.equal((await api.request('POST', '/api/v1/jobs', job, { authorization: `Bearer ${reader}` })).status, 403);
  const passwd = await api.request(
    'POST',
    '/passwd',
    { old_password: 'x', new_password: 'yyyyyyyy' },
    { authorization: `Bearer ${root}` },
  );
  t.same([passwd.status, passwd.body], [400, { error: 'an API token has no password: log in as a user' }]);
});

t.test('bad token input is a 400 naming the problem', async (t) => {
  const json = { ...admin, 'content-type': 'application/json' };
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/api/v1/tokens', { name: 'x' }, 'role is required'],
    [
      'POST',
      '/api/v1/tokens',
      { name: 'has space', role: 'viewer' },
      'name must be 1-64 letters, digits or . _ - and start with a letter or digit',
    ],
    ['POST', '/api/v1/tokens', { name: 'ops', role: 'viewer' }, 'Token already exists: ops'],
    ['POST', '/api/v1/tokens', { name: 'x', role: 'viewer', expires_in_days: 0 }, 'expires_in_days must be >= 1'],
    ['POST', '/api/v1/tokens', { name: 'x', role: 'viewer', expires_in_days: '9' }, 'expires_in_days must be integer'],
    [
      'POST',
      '/api/v1/tokens',
      { name: 'x', role: 'viewer', expires_in_days: 9, expires_at: '2099-01-01T00:00:00Z' },
      'give expires_in_days or expires_at, not both',
    ],
    [
      'POST',
      '/api/v1/tokens',
      { name: 'x', role: 'viewer', expires_at: 'soon' },
      'expires_at is not an ISO-8601 time: "soon"',
    ],
    [
      'POST',
      '/api/v1/tokens',
      { name: 'x', role: 'viewer', expires_at: '2020-01-01T00:00:00Z' },
      'expires_at must be in the future',
    ],
    ['DELETE', '/api/v1/users/admin?revoke_tokens=yes', '', 'revoke_tokens must be true or false'],
    ['DELETE', '/api/v1/tokens/nothing', '', 'Token not found: nothing'],
  ];
  for (const [method, path, body, error] of cases) {
    const res = await api.request(method, path, body, json);
    t.same([res.status, res.body], [400, { error }], `${method} ${path}`);
  }
});

t.test('a token may expire: then it is refused like an unknown one, and listed as expired', async (t) => {
  const days = await api.request(
    'POST',
    '/api/v1/tokens',
    { name: 'quarterly', role: 'viewer', expires_in_days: 90 },
    admin,
  );
  t.equal(days.status, 201);
  const in90 = Date.parse(days.body.expires_at) - Date.now();
  t.ok(Math.abs(in90 - 90 * 86_400_000) < 60_000, `expires_at is 90 days on: ${days.body.expires_at}`);

  const soon = new Date(Date.now() + 2000).toISOString();
  const short = await api.request(
    'POST',
    '/api/v1/tokens',
    { name: 'short-lived', role: 'viewer', expires_at: soon },
    admin,
  );
  t.same([short.status, short.body.expires_at], [201, soon]);
  const bearer = { authorization: `Bearer ${short.body.token}` };
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, bearer)).status, 200, 'works until then');
  const refused = await waitFor('the token to expire', async () => {
    const res = await api.request('GET', '/api/v1/jobs', undefined, bearer);
    return res.status === 401 ? res : undefined;
  });
  const unknown = await api.request('GET', '/api/v1/jobs', undefined, { authorization: 'Bearer twk_never-issued' });
  t.same([refused.status, refused.body], [unknown.status, unknown.body], 'the same answer as an unknown token');
  t.same(refused.body, { error: 'invalid, expired or revoked API token' });

  const listed = (await api.request('GET', '/api/v1/tokens', undefined, admin)).body.tokens;
  t.match(
    listed.filter((tk: { name: string }) => ['quarterly', 'short-lived'].includes(tk.name)),
    [
      { name: 'quarterly', expires_at: days.body.expires_at, expired: false },
      { name: 'short-lived', expires_at: soon, expired: true },
    ],
  );
});

t.test('removing a user names the tokens they created, and revokes them when asked', async (t) => {
  const json = { ...admin, 'content-type': 'application/json' };
  const makeTokens = async (username: string) => {
    await api.request('POST', '/api/v1/users', { username, password: `${username} password`, role: 'admin' }, admin);
    const own = { cookie: await loginCookie(api.base, username, `${username} password`) };
    const tokens = [];
    for (const name of [`${username}-ci`, `${username}-cron`]) {
      const res = await api.request('POST', '/api/v1/tokens', { name, role: 'viewer' }, own);
      tokens.push({ authorization: `Bearer ${res.body.token}` });
    }
    return tokens;
  };

  const hanks = await makeTokens('hank');
  const kept = await api.request('DELETE', '/api/v1/users/hank', '', json);
  t.same(
    [kept.status, kept.body],
    [200, { username: 'hank', tokens: ['hank-ci', 'hank-cron'], tokens_revoked: false }],
    'named, and left alone',
  );
  for (const bearer of hanks) t.equal((await api.request('GET', '/api/v1/jobs', undefined, bearer)).status, 200);

  const ivys = await makeTokens('ivy');
  const revoked = await api.request('DELETE', '/api/v1/users/ivy?revoke_tokens=true', '', json);
  t.same(
    [revoked.status, revoked.body],
    [200, { username: 'ivy', tokens: ['ivy-ci', 'ivy-cron'], tokens_revoked: true }],
  );
  for (const bearer of ivys) t.equal((await api.request('GET', '/api/v1/jobs', undefined, bearer)).status, 401);
  const names = (await api.request('GET', '/api/v1/tokens', undefined, admin)).body.tokens.map(
    (tk: { name: string }) => tk.name,
  );
  t.notOk(names.includes('ivy-ci') || names.includes('ivy-cron'), 'gone from the list');
  t.ok(names.includes('hank-ci'), "others' tokens stay");
});

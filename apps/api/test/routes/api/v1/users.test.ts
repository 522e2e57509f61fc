// /api/v1/users: admins manage users; the changes take effect on the next request.
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
const admin = { cookie: await loginCookie(api.base, 'admin', 'Very$ecret') };

t.test('list, add, set role, remove', async (t) => {
  const added = await api.request(
    'POST',
    '/api/v1/users',
    { username: 'dave', password: 'dave password', role: 'viewer' },
    admin,
  );
  t.same([added.status, added.body], [201, { username: 'dave', role: 'viewer' }]);
  const listed = await api.request('GET', '/api/v1/users', undefined, admin);
  t.match(listed.body.users, [
    { username: 'admin', role: 'admin', created_time: String },
    { username: 'dave', role: 'viewer', created_time: String },
  ]);
  t.notMatch(listed.text, /password|argon/, 'no hashes in the answer');
  const stored = await api.app.store.users.get('dave');
  t.match(stored?.password_hash, /^\$argon2id\$/, 'stored as an argon2id hash');

  const dave = { cookie: await loginCookie(api.base, 'dave', 'dave password') };
  const job = { name: 'j', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', minute: '*/5' };
  t.equal((await api.request('POST', '/api/v1/jobs', job, dave)).status, 403);
  const promoted = await api.request('PATCH', '/api/v1/users/dave', { role: 'editor' }, admin);
  t.same([promoted.status, promoted.body], [200, { username: 'dave', role: 'editor' }]);
  t.equal((await api.request('POST', '/api/v1/jobs', job, dave)).status, 201, 'the new role holds at once');

  const removed = await api.request('DELETE', '/api/v1/users/dave', undefined, {
    ...admin,
    'content-type': 'application/json',
  });
  t.same([removed.status, removed.body], [200, { username: 'dave', tokens: [], tokens_revoked: false }]);
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, dave)).status, 401, "a removed user's session ends");
});

t.test('bad input is a 400 naming the problem', async (t) => {
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/api/v1/users', { username: 'x', password: 'long enough' }, 'role is required'],
    [
      'POST',
      '/api/v1/users',
      { username: 'x', password: 'long enough', role: 'root' },
      'role must be viewer, editor or admin',
    ],
    [
      'POST',
      '/api/v1/users',
      { username: 'x', password: 'short', role: 'viewer' },
      'password must be at least 8 characters',
    ],
    [
      'POST',
      '/api/v1/users',
      { username: 'a b', password: 'long enough', role: 'viewer' },
      'username must be 1-64 letters, digits or . _ @ - and start with a letter or digit',
    ],
    [
      'POST',
      '/api/v1/users',
      { username: 'admin', password: 'long enough', role: 'viewer' },
      'User already exists: admin',
    ],
    ['PATCH', '/api/v1/users/nobody', { role: 'viewer' }, 'User not found: nobody'],
    ['PATCH', '/api/v1/users/nobody', { password: 'long enough' }, 'User not found: nobody'],
    ['PATCH', '/api/v1/users/admin', {}, 'role or password is required'],
    ['PATCH', '/api/v1/users/erin', { password: 'short' }, 'password must be at least 8 characters'],
    [
      'PATCH',
      '/api/v1/users/admin',
      { password: 'long enough' },
      'to change your own password use POST /passwd, with old_password',
    ],
    ['DELETE', '/api/v1/users/nobody', '', 'User not found: nobody'],
    ['PATCH', '/api/v1/users/admin', { role: 'viewer' }, 'admin is the last admin: make another user admin first'],
    ['DELETE', '/api/v1/users/admin', '', 'admin is the last admin: make another user admin first'],
  ];
  for (const [method, path, body, error] of cases) {
    const res = await api.request(method, path, body, { ...admin, 'content-type': 'application/json' });
    t.same([res.status, res.body], [400, { error }], `${method} ${path} ${JSON.stringify(body)}`);
  }
});

t.test('with a second admin, the first may be demoted', async (t) => {
  await api.request('POST', '/api/v1/users', { username: 'erin', password: 'erin password', role: 'admin' }, admin);
  t.equal((await api.request('PATCH', '/api/v1/users/erin', { role: 'editor' }, admin)).status, 200);
  t.equal((await api.request('PATCH', '/api/v1/users/erin', { role: 'admin' }, admin)).status, 200);
});

t.test("a removed user's sessions stay ended when a user of that name is added again", async (t) => {
  const json = { ...admin, 'content-type': 'application/json' };
  const user = { username: 'frank', password: 'frank password', role: 'editor' };
  t.equal((await api.request('POST', '/api/v1/users', user, admin)).status, 201);
  const old = { cookie: await loginCookie(api.base, 'frank', 'frank password') };
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, old)).status, 200);
  t.equal((await api.request('DELETE', '/api/v1/users/frank', '', json)).status, 200);
  // The same name, password and role again: nothing tells the new frank from the old one but the nonce.
  t.equal((await api.request('POST', '/api/v1/users', user, admin)).status, 201);
  const res = await api.request('GET', '/api/v1/jobs', undefined, old);
  t.equal(res.status, 401, 'the old session does not come back');
  t.match(res.body, { error: /authentication required/ });
  const fresh = { cookie: await loginCookie(api.base, 'frank', 'frank password') };
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, fresh)).status, 200, 'a new login works');
});

t.test("an admin resets another user's password: that user's sessions end", async (t) => {
  await api.request('POST', '/api/v1/users', { username: 'gina', password: 'gina password', role: 'viewer' }, admin);
  const gina = { cookie: await loginCookie(api.base, 'gina', 'gina password') };
  const other = { cookie: await loginCookie(api.base, 'gina', 'gina password') };
  const reset = await api.request('PATCH', '/api/v1/users/gina', { password: 'reset by admin' }, admin);
  t.same([reset.status, reset.body], [200, { username: 'gina', role: 'viewer' }]);
  for (const session of [gina, other]) {
    t.equal((await api.request('GET', '/api/v1/jobs', undefined, session)).status, 401, 'her sessions ended');
  }
  await t.rejects(loginCookie(api.base, 'gina', 'gina password'), /401/, 'the old password is gone');
  const now = { cookie: await loginCookie(api.base, 'gina', 'reset by admin') };
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, now)).status, 200);
  t.equal((await api.request('GET', '/api/v1/users', undefined, admin)).status, 200, "the admin's session goes on");

  const both = await api.request('PATCH', '/api/v1/users/gina', { role: 'editor', password: 'and again!' }, admin);
  t.same([both.status, both.body], [200, { username: 'gina', role: 'editor' }]);
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, now)).status, 401);
  t.ok(await loginCookie(api.base, 'gina', 'and again!'));
});

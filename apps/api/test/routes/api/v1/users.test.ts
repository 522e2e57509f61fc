// /api/v1/users: admins manage users; the changes take effect on the next request.
import { loginCookie, startApi, testEnvironment } from '@tickwork/testing';
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
  t.same([removed.status, removed.body], [200, { username: 'dave' }]);
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

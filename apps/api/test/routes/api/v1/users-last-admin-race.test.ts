// The last admin stays, however many admins demote and remove each other at once, through two API
// processes' worth of apps on the same store: the check and the write are made under one Redis lock
// (FerretDB's conditional updates are not atomic, so the store alone cannot decide it).
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { type ApiClient, startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'root',
  ADMIN_PASSWORD: 'Very$ecret',
});
const apis = [await startApi(t, environment), await startApi(t, environment)];
const [first] = apis as [ApiClient, ApiClient];
const JSON_TYPE = { 'content-type': 'application/json' };
const rootToken = (await first.app.apiTokenService.create('racer', 'admin', 'test')).token;
const bearer = { authorization: `Bearer ${rootToken}` };

async function admins(): Promise<string[]> {
  const res = await first.request('GET', '/api/v1/users', undefined, bearer);
  return (res.body.users as Array<{ username: string; role: string }>)
    .filter((u) => u.role === 'admin')
    .map((u) => u.username);
}

async function addAdmins(prefix: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (const username of names) {
    const res = await first.request(
      'POST',
      '/api/v1/users',
      { username, password: 'admin password', role: 'admin' },
      bearer,
    );
    if (res.status !== 201) throw new Error(`adding ${username}: ${res.status} ${res.text}`);
  }
  return names;
}

/** Demotes every second target and removes the others, all at once, alternating between the two apps. */
function strike(target: string, i: number, headers: Record<string, string>) {
  const api = apis[i % 2] as ApiClient;
  const path = `/api/v1/users/${target}`;
  return i % 2 === 0
    ? api.request('PATCH', path, { role: 'viewer' }, headers)
    : api.request('DELETE', path, '', { ...headers, ...JSON_TYPE });
}

t.test('an admin token demoting and removing every admin at once leaves exactly one', async (t) => {
  for (let round = 0; round < 5; round++) {
    const everyone = [...(await admins()), ...(await addAdmins(`t${round}`, 7))];
    const answers = await Promise.all(everyone.map((name, i) => strike(name, i, bearer)));
    const left = await admins();
    t.equal(left.length, 1, `round ${round}: one admin left (${left.join(', ')})`);
    const refused = answers.filter((a) => a.status === 400);
    t.equal(answers.filter((a) => a.status === 200).length, everyone.length - 1, 'every other change went through');
    t.same(
      refused.map((a) => a.body),
      [{ error: `${left[0]} is the last admin: make another user admin first` }],
      'the one refused is told why',
    );
  }
});

t.test('admins demoting and removing each other through their sessions: an admin always remains', async (t) => {
  for (let round = 0; round < 5; round++) {
    const everyone = [...(await admins()), ...(await addAdmins(`s${round}`, 6))];
    const sessions = await Promise.all(
      everyone.map(async (name) => ({
        cookie: await loginCookie(first.base, name, name === 'root' ? 'Very$ecret' : 'admin password'),
      })),
    );
    // Each admin strikes the next one, in a ring: every admin is struck, and strikes, once.
    const answers = await Promise.all(
      everyone.map((_, i) =>
        strike(everyone[(i + 1) % everyone.length] as string, i, sessions[i] as Record<string, string>),
      ),
    );
    const left = await admins();
    t.ok(left.length >= 1, `round ${round}: ${left.length} admin(s) left`);
    for (const answer of answers) {
      // 403/401: the striker had been demoted or removed by then; 400: its target was the last admin.
      t.ok([200, 400, 401, 403].includes(answer.status), `${answer.status} ${answer.text}`);
      if (answer.status === 400) t.match(answer.body.error, /is the last admin/);
    }
  }
});

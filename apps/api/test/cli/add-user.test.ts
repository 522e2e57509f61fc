// The add-user CLI, as an operator runs it: password on standard input, then that user logs in.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@tickwork/local-services';
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, { SESSION_SECRET: 'a-session-secret-of-at-least-32-characters' });

function addUser(args: string[], stdin: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/api/dist/cli/add-user.js'), ...args], {
    env: { ...process.env, ...environment.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

t.test('adds a user whose password comes from stdin; that turns authentication on', async (t) => {
  const added = await addUser(['alice', 'editor'], 'Very$ecret\n');
  t.same(added, { code: 0, out: 'added user alice (editor)\n', err: '' });
  const api = await startApi(t, environment);
  t.equal((await api.request('GET', '/api/v1/jobs')).status, 401);
  const cookie = await loginCookie(api.base, 'alice', 'Very$ecret');
  t.match((await api.request('GET', '/api/v1/session', undefined, { cookie })).body, { user: 'alice', role: 'editor' });
  const viewer = await addUser(['bob'], 'bob password');
  t.equal(viewer.code, 0, 'no line ending and no role: a viewer');
  t.match(
    (
      await api.request('GET', '/api/v1/users', undefined, {
        cookie: await loginCookie(api.base, 'alice', 'Very$ecret'),
      })
    ).status,
    403,
  );
  t.ok(await loginCookie(api.base, 'bob', 'bob password'));
});

t.test('mistakes are one line on stderr and a non-zero exit', async (t) => {
  t.match(await addUser(['alice', 'editor'], 'another password\n'), {
    code: 1,
    err: 'tickwork add-user: User already exists: alice\n',
  });
  t.match(await addUser(['carol', 'root'], 'Very$ecret\n'), { code: 2, err: /role must be viewer, editor or admin/ });
  t.match(await addUser(['carol'], ''), { code: 1, err: /no password on standard input/ });
  t.match(await addUser(['carol'], 'short\n'), { code: 1, err: /password must be at least 8 characters/ });
  t.match(await addUser([], ''), { code: 2, err: /usage: add-user <username>/ });
});

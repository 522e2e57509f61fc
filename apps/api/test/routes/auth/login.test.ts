// POST /login, /logout and /passwd against the real API, Redis sessions and the MongoDB-wire server.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const environment = testEnvironment(t, {
  SESSION_SECRET: SECRET,
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
  LOGIN_ATTEMPTS_PER_IP: '1000',
  LOGIN_ATTEMPTS_PER_USERNAME: '1000',
});
const api = await startApi(t, environment);
await api.app.userService.add('user', 'Very$ecret', 'editor');
const host = api.base.replace('http://', '');
const curl = async (args: string[]) => (await promisify(execFile)('curl', args, { encoding: 'utf8' })).stdout;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

t.test("the seed's curl flow works exactly as written, with Very$ecret", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tickwork-cookie-'));
  const jar = join(dir, 'my_cookie.txt');
  // As in the REST document: the cookie jar goes to stdout, redirected into my_cookie.txt.
  await promisify(execFile)(
    'sh',
    [
      '-c',
      `curl --silent --output /dev/null \\
     --data-urlencode "username=user" \\
     --data-urlencode 'password=Very$ecret' \\
     --cookie-jar - 'http://${host}/login' \\
     > ${jar}`,
    ],
    { encoding: 'utf8' },
  );
  t.match(await readFile(jar, 'utf8'), /tickwork_session/);
  const out = await curl([
    '--silent',
    '--cookie',
    jar,
    '-X',
    'POST',
    '--header',
    'Content-Type:application/json',
    '--data',
    '{"job_class_string": "simple_scheduler.jobs.sample_job.AwesomeJob", "name": "My first job", "minute": "*/1", "pub_args": ["arg1", 2]}',
    `${host}/api/v1/jobs`,
    '--write-out',
    '\n%{http_code}',
  ]);
  const [body, status] = out.split('\n');
  t.equal(status, '201', String(body));
  t.match(JSON.parse(body as string), { job_id: /^[0-9a-f]{32}$/ });
  const logs = await api.request('GET', '/api/v1/logs', undefined, {
    cookie: await loginCookie(api.base, 'user', 'Very$ecret'),
  });
  t.equal(logs.body.logs[0].user, 'user', 'the audit log names the logged-in user');
});

t.test('an API client gets 200 {user, role} and an HttpOnly, SameSite=Lax session cookie', async (t) => {
  const res = await api.request('POST', '/login', form({ username: 'user', password: 'Very$ecret' }), FORM);
  t.equal(res.status, 200);
  t.same(res.body, { user: 'user', role: 'editor' });
  const cookie = res.headers.get('set-cookie') ?? '';
  t.match(cookie, /^tickwork_session=/);
  t.match(cookie, /HttpOnly/i);
  t.match(cookie, /SameSite=Lax/i);
  t.notMatch(cookie, /Secure/i, 'plain HTTP without COOKIE_SECURE: not Secure, or curl would not send it back');
  const json = await api.request('POST', '/login', { username: 'admin', password: 'Very$ecret' });
  t.same(json.body, { user: 'admin', role: 'admin' }, 'JSON works too');
});

t.test('a browser form login is redirected to the UI; a failed one gets the page again with 401', async (t) => {
  const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  const ok = await fetch(`${api.base}/login`, {
    method: 'POST',
    headers: { ...FORM, accept },
    body: form({ username: 'user', password: 'Very$ecret' }),
    redirect: 'manual',
  });
  t.equal(ok.status, 303);
  t.equal(ok.headers.get('location'), '/');
  t.match(ok.headers.get('set-cookie'), /^tickwork_session=/);
  const bad = await fetch(`${api.base}/login`, {
    method: 'POST',
    headers: { ...FORM, accept },
    body: form({ username: '<script>x</script>', password: 'nope' }),
    redirect: 'manual',
  });
  t.equal(bad.status, 401);
  const html = await bad.text();
  t.match(html, /Wrong username or password/);
  t.notMatch(html, /script>x/, 'nothing the client sent is in the page');
  t.equal(bad.headers.get('set-cookie'), null);
});

t.test('an unknown user and a wrong password: the same 401, no session, both verify a hash', async (t) => {
  const hasher = api.app.passwordHasher;
  const attempt = async (username: string) => {
    const before = hasher.verifications;
    const started = performance.now();
    const res = await api.request('POST', '/login', form({ username, password: 'wrong password' }), FORM);
    return { res, ms: performance.now() - started, verified: hasher.verifications - before };
  };
  const unknown = await attempt('nobody');
  const wrong = await attempt('user');
  for (const { res, verified } of [unknown, wrong]) {
    t.equal(res.status, 401);
    t.same(res.body, { error: 'wrong username or password' });
    t.equal(res.headers.get('set-cookie'), null);
    t.equal(verified, 1, 'one argon2 verification either way');
  }
  // Timing: medians of several attempts each, interleaved, within a generous factor of each other.
  const unknownMs: number[] = [];
  const wrongMs: number[] = [];
  for (let i = 0; i < 7; i++) {
    unknownMs.push((await attempt('nobody')).ms);
    wrongMs.push((await attempt('user')).ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ratio = median(unknownMs) / median(wrongMs);
  t.ok(ratio > 0.33 && ratio < 3, `median unknown/wrong = ${ratio.toFixed(2)}`);
});

t.test('bad login input is a 400 naming the field', async (t) => {
  const missing = await api.request('POST', '/login', form({ username: 'user' }), FORM);
  t.equal(missing.status, 400);
  t.same(missing.body, { error: 'password is required' });
  const twice = await api.request('POST', '/login', 'username=a&username=b&password=x', FORM);
  t.equal(twice.status, 400);
  t.match(twice.body.error, /^username /);
  const text = await api.request('POST', '/login', 'hello', { 'content-type': 'text/plain' });
  t.same([text.status, text.body], [400, { error: 'request body must be a JSON object' }]);
});

t.test('login and passwd bodies are bounded: long fields are a 400, a huge body a 413', async (t) => {
  const long = await api.request('POST', '/login', form({ username: 'u'.repeat(65), password: 'x' }), FORM);
  t.same([long.status, long.body], [400, { error: 'username must NOT have more than 64 characters' }]);
  const longPassword = await api.request('POST', '/login', { username: 'user', password: 'p'.repeat(1025) });
  t.same(
    [longPassword.status, longPassword.body],
    [400, { error: 'password must NOT have more than 1024 characters' }],
  );
  const longest = await api.request(
    'POST',
    '/login',
    form({ username: 'u'.repeat(64), password: '€'.repeat(1024) }),
    FORM,
  );
  t.equal(longest.status, 401, 'the longest fields, percent-encoded, still fit');
  const huge = await api.request('POST', '/login', { username: 'u'.repeat(1_000_000), password: 'x' });
  t.same([huge.status, huge.body], [413, { error: 'request body is too large' }], 'a 1 MB username');
  const formLong = await api.request('POST', '/login', form({ username: 'u'.repeat(10_000), password: 'x' }), FORM);
  t.same([formLong.status, formLong.body], [400, { error: 'username must NOT have more than 64 characters' }]);
  const cookie = await loginCookie(api.base, 'user', 'Very$ecret');
  const passwd = await api.request(
    'POST',
    '/passwd',
    { old_password: 'x'.repeat(1025), new_password: 'long enough' },
    { cookie },
  );
  t.same([passwd.status, passwd.body], [400, { error: 'old_password must NOT have more than 1024 characters' }]);
  // What was counted is stored under digests: nothing the client sent becomes part of a Redis key.
  const keys = await api.app.redis.keys(`${environment.config.queuePrefix}:*`);
  t.ok(
    keys.some((k) => k.includes(':login-throttle:')),
    'failed logins were counted',
  );
  for (const key of keys) t.ok(key.length < 200 && !key.includes('uuuu'), `short, no username in it: ${key}`);
});

t.test('logout ends the session, by GET or POST', async (t) => {
  for (const method of ['GET', 'POST']) {
    const cookie = await loginCookie(api.base, 'user', 'Very$ecret');
    t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie })).status, 200);
    const out = await api.request(method, '/logout', undefined, { cookie });
    t.equal(out.status, 200, method);
    t.same(out.body, { logged_out: true });
    t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie })).status, 401, `${method} /logout`);
  }
});

t.test('a cross-site GET /logout logs nobody out, and redirects to the UI', async (t) => {
  const cookie = await loginCookie(api.base, 'user', 'Very$ecret');
  const html = 'text/html,application/xhtml+xml';
  // As a browser sends it when another site links here (or embeds it as an image).
  const link = await fetch(`${api.base}/logout`, {
    headers: { cookie, accept: html, 'sec-fetch-site': 'cross-site' },
    redirect: 'manual',
  });
  t.equal(link.status, 303);
  t.equal(link.headers.get('location'), '/', 'to the UI, not the login page');
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie })).status, 200, 'still logged in');
  const image = await api.request('GET', '/logout', undefined, {
    cookie,
    accept: 'image/*',
    'sec-fetch-site': 'cross-site',
  });
  t.same([image.status, image.body], [403, { error: 'cross-site logout refused: log out from this site' }]);
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie })).status, 200, 'still logged in');

  for (const site of ['same-origin', 'none']) {
    const own = await loginCookie(api.base, 'user', 'Very$ecret');
    const out = await fetch(`${api.base}/logout`, {
      headers: { cookie: own, accept: html, 'sec-fetch-site': site },
      redirect: 'manual',
    });
    t.same([out.status, out.headers.get('location')], [303, '/login'], `Sec-Fetch-Site: ${site}`);
    t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie: own })).status, 401, 'logged out');
  }
});

t.test('passwd changes one own password: old one required, other sessions end', async (t) => {
  await api.app.userService.add('carol', 'first password', 'viewer');
  const cookie = await loginCookie(api.base, 'carol', 'first password');
  const other = await loginCookie(api.base, 'carol', 'first password');
  const third = await loginCookie(api.base, 'carol', 'first password');
  const fourth = await loginCookie(api.base, 'carol', 'first password');
  const wrongOld = await api.request(
    'POST',
    '/passwd',
    { old_password: 'nope', new_password: 'second password' },
    { cookie },
  );
  t.equal(wrongOld.status, 403);
  t.same(wrongOld.body, { error: 'old_password is wrong' });
  const missing = await api.request('POST', '/passwd', { new_password: 'second password' }, { cookie });
  t.same([missing.status, missing.body], [400, { error: 'old_password is required' }]);
  const short = await api.request(
    'POST',
    '/passwd',
    { old_password: 'first password', new_password: 'short' },
    { cookie },
  );
  t.same([short.status, short.body], [400, { error: 'new_password must be at least 8 characters' }]);

  const changed = await api.request(
    'POST',
    '/passwd',
    { old_password: 'first password', new_password: 'second password' },
    { cookie },
  );
  t.same([changed.status, changed.body], [200, { user: 'carol', role: 'viewer' }]);
  const renewed = (changed.headers.get('set-cookie') ?? '').split(';')[0] as string;
  t.equal(
    (await api.request('GET', '/api/v1/jobs', undefined, { cookie: renewed })).status,
    200,
    'this session goes on',
  );
  t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie: other })).status, 401, 'the other one ended');
  await t.rejects(loginCookie(api.base, 'carol', 'first password'), /401/);
  t.ok(await loginCookie(api.base, 'carol', 'second password'));
  const staleLogin = await api.request('POST', '/login', form({ username: 'carol', password: 'second password' }), {
    ...FORM,
    cookie: third,
  });
  t.same(
    [staleLogin.status, staleLogin.body],
    [200, { user: 'carol', role: 'viewer' }],
    'a stale cookie does not hinder a login',
  );
  t.equal((await api.request('POST', '/logout', undefined, { cookie: fourth })).status, 200, 'nor a logout');
});

t.test('cookie writes must be JSON or carry the CSRF token; cross-site posts are refused', async (t) => {
  const cookie = await loginCookie(api.base, 'user', 'Very$ecret');
  const job = await api.request(
    'POST',
    '/api/v1/jobs',
    { name: 'j', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', minute: '*/5' },
    { cookie },
  );
  t.equal(job.status, 201);
  const id = job.body.job_id;
  const bare = await api.request('POST', `/api/v1/executions/${id}`, undefined, { cookie });
  t.equal(bare.status, 200, 'no body, no type, no Origin: a script, not a form (seed-cookie-jar.test.ts)');
  const asForm = await api.request('POST', `/api/v1/executions/${id}`, 'a=b', { cookie, ...FORM });
  t.equal(asForm.status, 403);
  t.match(asForm.body.error, /X-CSRF-Token/);
  const { csrf_token } = (await api.request('GET', '/api/v1/session', undefined, { cookie })).body;
  t.match(csrf_token, /^[\w-]{32}$/);
  const withToken = await api.request('POST', `/api/v1/executions/${id}`, undefined, {
    cookie,
    'x-csrf-token': csrf_token,
  });
  t.equal(withToken.status, 200);
  const wrongToken = await api.request('PATCH', `/api/v1/jobs/${id}`, undefined, {
    cookie,
    'x-csrf-token': 'x'.repeat(32),
  });
  t.equal(wrongToken.status, 403);
  const json = await api.request('PATCH', `/api/v1/jobs/${id}`, '', { cookie, 'content-type': 'application/json' });
  t.equal(json.status, 200, 'an empty JSON-typed PATCH (as ndscheduler clients send) is fine');

  const crossSite = await api.request('POST', `/api/v1/executions/${id}`, '{}', {
    cookie,
    'content-type': 'application/json',
    origin: 'https://evil.example',
    'sec-fetch-site': 'cross-site',
  });
  t.same([crossSite.status, crossSite.body], [403, { error: 'cross-site request refused' }]);
  const crossLogin = await api.request('POST', '/login', form({ username: 'user', password: 'Very$ecret' }), {
    ...FORM,
    origin: 'https://evil.example',
  });
  t.equal(crossLogin.status, 403, 'a cross-site login form is refused too');
  const sameOrigin = await api.request('POST', '/login', form({ username: 'user', password: 'Very$ecret' }), {
    ...FORM,
    origin: api.base,
    'sec-fetch-site': 'same-origin',
  });
  t.equal(sameOrigin.status, 200);
  const sameSite = await api.request('POST', '/login', form({ username: 'user', password: 'Very$ecret' }), {
    ...FORM,
    'sec-fetch-site': 'same-site',
  });
  t.equal(sameSite.status, 403, 'a sibling subdomain is another site too');
  const nullOrigin = await api.request('POST', '/login', form({ username: 'user', password: 'Very$ecret' }), {
    ...FORM,
    origin: 'null',
    'sec-fetch-site': 'same-origin',
  });
  t.equal(nullOrigin.status, 200, "the browser's own word (Sec-Fetch-Site) wins over a privacy-stripped Origin");
  const nullOnly = await api.request('POST', '/login', form({ username: 'user', password: 'Very$ecret' }), {
    ...FORM,
    origin: 'null',
  });
  t.equal(nullOnly.status, 403, 'without Sec-Fetch-Site, Origin: null is not ours');
});

t.test('the login page is static HTML with security headers', async (t) => {
  const res = await api.request('GET', '/login?username=<b>x</b>', undefined, { accept: 'text/html' });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/html/);
  t.match(res.text, /<form method="post" action="\/login">/);
  t.notMatch(res.text, /<b>x/);
  t.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  t.equal(res.headers.get('x-content-type-options'), 'nosniff');
  t.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
  t.equal(res.headers.get('referrer-policy'), 'same-origin');
  t.notMatch(res.headers.get('content-security-policy'), /upgrade-insecure-requests/, 'not on plain HTTP');
  t.equal(res.headers.get('access-control-allow-origin'), null, 'CORS is off without CORS_ORIGINS');
});

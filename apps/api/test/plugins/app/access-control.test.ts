// Every route Fastify has registered is closed without a session or token once a user exists: a route added
// later without an access level is admin-only, and this walk finds one that is open.
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
  // With CORS on, its catch-all OPTIONS route is registered as well and walked too.
  CORS_ORIGINS: 'https://ui.example.com',
});
const api = await startApi(t, environment);
await api.app.userService.add('viewer', 'Very$ecret', 'viewer');
await api.app.userService.add('editor', 'Very$ecret', 'editor');

/** Open by design: the way in and the way out, and the orchestrators' probes (they say nothing of jobs). */
const PUBLIC = new Set([
  'GET /login',
  'HEAD /login',
  'POST /login',
  'GET /logout',
  'HEAD /logout',
  'POST /logout',
  'GET /healthz',
  'HEAD /healthz',
  'GET /readyz',
  'HEAD /readyz',
]);

function concrete(url: string): string {
  return (url.startsWith('/') ? url : `/${url}`)
    .replace(/:job_id|:execution_id/g, '0123456789abcdef0123456789abcdef')
    .replace(/:[A-Za-z_]+/g, 'x')
    .replace(/\*/g, 'x');
}

t.test('every registered route answers 401 or a login redirect without credentials', async (t) => {
  const routes = api.app.routeAccess;
  t.ok(routes.length > 30, `${routes.length} routes walked`);
  for (const path of ['/api/v1/jobs', '/api/v1/users', '/api/v1/tokens', '/admin/queues', '/login', '/', '/metrics']) {
    t.ok(
      routes.some((r) => r.url === path || r.url === `${path}/`),
      `the walk includes ${path}`,
    );
  }
  t.ok(
    routes.some((r) => r.method === 'OPTIONS' && r.url === '*'),
    "the walk includes CORS's catch-all, registered before access control",
  );
  for (const { method, url, access } of routes) {
    const key = `${method} ${url}`;
    if (PUBLIC.has(key)) {
      t.equal(access, 'public', key);
      continue;
    }
    t.not(access, 'public', `${key} is not public`);
    const path = concrete(url);
    for (const accept of ['application/json', 'text/html']) {
      const res = await fetch(api.base + path, {
        method,
        headers: { accept, 'content-type': 'application/json' },
        body: ['GET', 'HEAD'].includes(method) ? undefined : '{}',
        redirect: 'manual',
      });
      const browserPage = accept === 'text/html' && !path.startsWith('/api/');
      if (browserPage) {
        t.same([res.status, res.headers.get('location')], [302, '/login'], `${key} as a browser`);
      } else {
        t.equal(res.status, 401, `${key} (${accept})`);
      }
    }
  }
});

t.test('a bad or revoked token is refused on every route too', async (t) => {
  const res = await api.request('GET', '/api/v1/jobs', undefined, { authorization: 'Bearer twk_not-a-token' });
  t.same([res.status, res.body], [401, { error: 'invalid, expired or revoked API token' }]);
  t.equal(res.headers.get('www-authenticate'), 'Bearer');
});

t.test('roles: viewers read, editors change jobs, admins manage users, tokens and Bull Board', async (t) => {
  const viewer = await loginCookie(api.base, 'viewer', 'Very$ecret');
  const editor = await loginCookie(api.base, 'editor', 'Very$ecret');
  const admin = await loginCookie(api.base, 'admin', 'Very$ecret');
  const job = { name: 'j', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', minute: '*/5' };

  t.equal((await api.request('GET', '/api/v1/jobs', undefined, { cookie: viewer })).status, 200);
  const refused = await api.request('POST', '/api/v1/jobs', job, { cookie: viewer });
  t.same([refused.status, refused.body], [403, { error: 'forbidden: this needs the editor role, viewer is viewer' }]);
  const created = await api.request('POST', '/api/v1/jobs', job, { cookie: editor });
  t.equal(created.status, 201);
  const id = created.body.job_id;
  t.equal(
    (await api.request('POST', `/api/v1/executions/${id}`, '', { cookie: editor, 'content-type': 'application/json' }))
      .status,
    200,
  );
  t.equal(
    (await api.request('OPTIONS', `/api/v1/jobs/${id}`, '', { cookie: viewer, 'content-type': 'application/json' }))
      .status,
    403,
  );

  for (const path of ['/api/v1/users', '/api/v1/tokens', '/admin/queues/api/queues']) {
    t.equal((await api.request('GET', path, undefined, { cookie: editor })).status, 403, `${path}: not for editors`);
    t.equal((await api.request('GET', path, undefined, { cookie: admin })).status, 200, `${path}: admins`);
  }
});

t.test('Bull Board: read-only, served with its own assets, admins only', async (t) => {
  const admin = await loginCookie(api.base, 'admin', 'Very$ecret');
  const page = await api.request('GET', '/admin/queues', undefined, { cookie: admin, accept: 'text/html' });
  t.equal(page.status, 200);
  t.match(page.text, /<base href="\/admin\/queues\/"/);
  const assets = [...page.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => m[1] as string);
  t.ok(assets.length >= 2, `assets: ${assets.join(', ')}`);
  for (const asset of assets) {
    const res = await api.request('GET', `/admin/queues/${asset}`, undefined, { cookie: admin });
    t.equal(res.status, 200, asset);
    t.equal((await api.request('GET', `/admin/queues/${asset}`)).status, 401, `${asset} needs a login too`);
  }
  const queues = await api.request('GET', '/admin/queues/api/queues', undefined, { cookie: admin });
  t.match(queues.body.queues, [{ name: 'runs', readOnlyMode: true }]);
  const pageAsViewer = await fetch(`${api.base}/admin/queues`, {
    headers: { cookie: await loginCookie(api.base, 'viewer', 'Very$ecret'), accept: 'text/html' },
    redirect: 'manual',
  });
  t.equal(pageAsViewer.status, 403);
});

t.test('CORS answers only the listed origins; a non-preflight OPTIONS still resumes', async (t) => {
  const preflight = await api.request('OPTIONS', '/api/v1/jobs', undefined, {
    origin: 'https://ui.example.com',
    'access-control-request-method': 'POST',
  });
  t.equal(preflight.status, 204);
  t.equal(preflight.headers.get('access-control-allow-origin'), 'https://ui.example.com');
  t.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
  const stranger = await api.request('OPTIONS', '/api/v1/jobs', undefined, {
    origin: 'https://evil.example',
    'access-control-request-method': 'POST',
  });
  t.equal(stranger.headers.get('access-control-allow-origin'), null);

  const editor = await loginCookie(api.base, 'editor', 'Very$ecret');
  const json = { cookie: editor, 'content-type': 'application/json' };
  const job = { name: 'j', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', minute: '*/5' };
  const id = (await api.request('POST', '/api/v1/jobs', job, json)).body.job_id;
  t.equal((await api.request('PATCH', `/api/v1/jobs/${id}`, '', json)).status, 200);
  const resumed = await api.request('OPTIONS', `/api/v1/jobs/${id}`, '', json);
  t.same([resumed.status, resumed.body], [200, { job_id: id }]);
  t.not((await api.request('GET', `/api/v1/jobs/${id}`, undefined, json)).body.next_run_time, '');
});

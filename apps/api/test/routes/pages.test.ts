// The web UI as the API serves it from apps/web/dist (built by `npm test` before the suite runs).
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
const cookie = await loginCookie(api.base, 'admin', 'Very$ecret');

async function get(path: string, headers: Record<string, string> = {}) {
  return fetch(api.base + path, { headers, redirect: 'manual' });
}

t.test("each of the UI's paths answers its index.html, revalidated every time", async (t) => {
  for (const path of ['/', '/executions', `/executions/${'a'.repeat(32)}`, '/audit-logs', '/workers', '/api-docs']) {
    const res = await get(path, { cookie, accept: 'text/html' });
    t.equal(res.status, 200, path);
    t.match(res.headers.get('content-type'), /^text\/html/, path);
    t.equal(res.headers.get('cache-control'), 'no-cache', path);
    t.match(await res.text(), /<div id="app"><\/div>/, path);
  }
});

t.test('the bundle is served from /assets, cached for good, and allowed by the CSP', async (t) => {
  const page = await (await get('/', { cookie })).text();
  const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  t.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), assets.join(', '));
  t.notMatch(page, /<script>|<script type="module">/, 'no inline script');
  t.notMatch(page, /https?:\/\//, 'nothing from another host');
  for (const asset of assets) {
    const res = await get(asset, { cookie });
    t.equal(res.status, 200, asset);
    t.match(res.headers.get('cache-control'), /max-age=31536000.*immutable/, asset);
    const csp = (await get('/', { cookie })).headers.get('content-security-policy') ?? '';
    t.match(csp, /script-src 'self'/);
  }
});

t.test('without a login: a browser goes to /login, the assets are closed, the login page stands alone', async (t) => {
  const page = await get('/workers', { accept: 'text/html' });
  t.same([page.status, page.headers.get('location')], [302, '/login']);
  const index = await (await get('/', { cookie })).text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] as string;
  t.equal((await get(script)).status, 401, 'the bundle needs a login');
  const login = await (await get('/login', { accept: 'text/html' })).text();
  t.notMatch(login, /\/assets\//, 'the login page needs no asset');
});

t.test('an unknown asset is a 404 and a path out of the folder is refused', async (t) => {
  t.equal((await get('/assets/nothing-here.js', { cookie })).status, 404);
  const outside = await get('/assets/..%2f..%2fpackage.json', { cookie });
  t.ok([400, 403, 404].includes(outside.status), `status ${outside.status}`);
  t.notMatch(await outside.text(), /"workspaces"/);
});

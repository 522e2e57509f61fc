// The OpenAPI document covers every API route with request and reply schemas and examples; Swagger UI is
// served from the package's own files.
import { testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
type Json = any;

/** An example anywhere in a schema: OpenAPI's `example`/`examples` at its top or in its properties. */
function hasExample(schema: Json): boolean {
  if (!schema || typeof schema !== 'object') return false;
  if ('example' in schema || 'examples' in schema) return true;
  return Object.values(schema.properties ?? {}).some(hasExample) || hasExample(schema.items);
}

t.test('every /api/v1 route is documented with schemas and examples', async (t) => {
  const res = await api.request('GET', '/api/v1/openapi.json');
  t.equal(res.status, 200);
  const doc: Json = res.body;
  t.equal(doc.openapi, '3.0.3');
  const routes = api.app.routeAccess.filter(
    (r) => r.url.startsWith('/api/v1') && r.method !== 'HEAD' && r.url !== '/api/v1/openapi.json',
  );
  t.ok(routes.length >= 20, `${routes.length} API routes`);
  for (const { method, url } of routes) {
    const path = url.replace(/\/$/, '').replace(/:([A-Za-z_]+)/g, '{$1}');
    const operation = doc.paths[path]?.[method.toLowerCase()];
    t.ok(operation, `${method} ${path} is documented`);
    if (!operation) continue;
    t.ok(operation.summary, `${method} ${path} says what it does`);
    const ok = Object.entries(operation.responses ?? {}).find(([code]) => code.startsWith('2'));
    // An example on a top-level schema becomes the media type's `example` in OpenAPI.
    const reply = (ok?.[1] as Json)?.content?.['application/json'];
    t.ok(reply?.schema, `${method} ${path} has a reply schema`);
    t.ok(hasExample(reply) || hasExample(reply?.schema), `${method} ${path} reply has an example`);
    t.ok(operation.responses['4XX'] ?? operation.responses['4xx'], `${method} ${path} documents its errors`);
    const body = operation.requestBody?.content?.['application/json'];
    if (body) t.ok(hasExample(body) || hasExample(body.schema), `${method} ${path} request body has an example`);
  }
});

t.test('Swagger UI is served from local files', async (t) => {
  const page = await fetch(`${api.base}/docs/`, { redirect: 'follow' });
  t.equal(page.status, 200);
  const html = await page.text();
  t.notMatch(html, /https?:\/\//, 'nothing loaded from elsewhere');
  const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1] as string);
  t.ok(scripts.length > 0, 'it loads scripts');
  for (const src of scripts) {
    const script = await fetch(new URL(src, `${api.base}/docs/`));
    t.equal(script.status, 200, `${src} is served here`);
  }
});

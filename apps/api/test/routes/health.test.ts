// /healthz and /readyz for orchestrators: open without login, /readyz 503 naming what is down, promptly.
import { PrivateMongo, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const mongo = await PrivateMongo.start(t);
const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
environment.config.mongodbUrl = mongo.url('health');
const api = await startApi(t, environment);

t.test('healthy: both answer without credentials, even with auth on', async (t) => {
  t.same((await api.request('GET', '/healthz')).body, { status: 'ok' });
  const ready = await api.request('GET', '/readyz');
  t.same([ready.status, ready.body], [200, { status: 'ready', mongodb: 'ok', redis: 'ok' }]);
  t.equal((await api.request('GET', '/api/v1/jobs')).status, 401, 'the API itself stays closed');
});

t.test('MongoDB down: /readyz is 503 naming it, within seconds; /healthz still 200', async (t) => {
  await mongo.stop();
  const started = Date.now();
  const down = await api.request('GET', '/readyz');
  t.same(
    [down.status, down.body],
    [503, { error: 'not ready: mongodb unavailable', mongodb: 'unavailable', redis: 'ok' }],
  );
  t.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
  t.equal((await api.request('GET', '/healthz')).status, 200);
  await mongo.start();
  await waitFor('ready again', async () => (await api.request('GET', '/readyz')).status === 200, 30_000);
});

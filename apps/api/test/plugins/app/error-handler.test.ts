// A MongoDB outage: the API answers 503 {"error"} promptly instead of hanging, and recovers on its own
// when the server is back. The API here runs on a MongoDB-wire server of its own that the test stops and restarts.

import { PrivateMongo, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const mongo = await PrivateMongo.start(t);
const environment = testEnvironment(t);
environment.config.mongodbUrl = mongo.url('outage');
const api = await startApi(t, environment);

t.test('503 while MongoDB is down, answered promptly; back to 200 when it returns', async (t) => {
  const created = await api.request('POST', '/api/v1/jobs', { name: 'kept', job_class_string: 'a.B', minute: '1' });
  t.equal(created.status, 201);

  await mongo.stop();
  const started = Date.now();
  const down = await api.request('GET', '/api/v1/jobs');
  t.equal(down.status, 503);
  t.same(down.body, { error: 'database unavailable, try again shortly' });
  t.equal(down.headers.get('retry-after'), '5');
  t.ok(Date.now() - started < 8000, `answered in ${Date.now() - started} ms, not hung`);

  const write = await api.request('POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B', minute: '1' });
  t.equal(write.status, 503, 'writes too');

  await mongo.start();
  const up = await waitFor(
    'the API to answer again',
    async () => {
      const res = await api.request('GET', '/api/v1/jobs');
      return res.status === 200 ? res : undefined;
    },
    30_000,
  );
  t.same(
    up.body.jobs.map((j: { name: string }) => j.name),
    ['kept'],
    'what was stored before the outage is still there',
  );
});

// A MongoDB outage: the API answers 503 {"error"} promptly instead of hanging, and recovers on its own
// when the server is back. The API here runs on a FerretDB of its own that the test stops and restarts.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFerretDb, freePort, mongoAnswersPing } from '@tickwork/local-services';
import { startApi, testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

const binary = await ensureFerretDb(() => {});
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'tickwork-outage-'));
let server: ChildProcess | undefined;

async function startServer(): Promise<void> {
  server = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-handler', 'sqlite', '-sqlite-url', `file:${dataDir}/`], {
    stdio: 'ignore',
  });
  await waitFor('FerretDB', () => mongoAnswersPing(`mongodb://127.0.0.1:${port}`), 30_000);
}

async function stopServer(): Promise<void> {
  const running = server;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((r) => running.once('exit', r));
  running.kill('SIGKILL');
  await exited;
}

t.teardown(async () => {
  await stopServer();
  rmSync(dataDir, { recursive: true, force: true });
});

await startServer();
const environment = testEnvironment(t);
environment.config.mongodbUrl = `mongodb://127.0.0.1:${port}/outage`;
const api = await startApi(t, environment);

t.test('503 while MongoDB is down, answered promptly; back to 200 when it returns', async (t) => {
  const created = await api.request('POST', '/api/v1/jobs', { name: 'kept', job_class_string: 'a.B', minute: '1' });
  t.equal(created.status, 201);

  await stopServer();
  const started = Date.now();
  const down = await api.request('GET', '/api/v1/jobs');
  t.equal(down.status, 503);
  t.same(down.body, { error: 'database unavailable, try again shortly' });
  t.equal(down.headers.get('retry-after'), '5');
  t.ok(Date.now() - started < 8000, `answered in ${Date.now() - started} ms, not hung`);

  const write = await api.request('POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B', minute: '1' });
  t.equal(write.status, 503, 'writes too');

  await startServer();
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

// WORKER_HEALTH_FILE: rewritten at every heartbeat, gone after a clean stop — what an orchestrator probes.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

const dir = mkdtempSync(join(tmpdir(), 'tickwork-health-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'worker.health');
const environment = testEnvironment(t, { WORKER_HEALTH_FILE: file });

t.test('the health file is kept fresh while the worker lives, and removed when it stops', async (t) => {
  const worker = await spawnWorker(t, environment);
  const read = () => JSON.parse(readFileSync(file, 'utf8'));
  const first = await waitFor('the health file', () => (existsSync(file) ? read() : undefined));
  t.match(first, { pid: worker.pid, running: 0, last_heartbeat: /^\d{4}-/ });
  await waitFor('a later heartbeat', () => Date.parse(read().last_heartbeat) > Date.parse(first.last_heartbeat));
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGTERM');
  await exited;
  t.notOk(existsSync(file), 'removed on a clean stop');
});

// `npm start` as a user runs it: node scripts/start.mjs with WORKERS=3 and no MONGODB_URL, so it starts
// its own FerretDB, and with the first admin from the environment. The API has the secrets, the workers
// do not. Then SIGINT must leave no process of ours behind.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, REPO_ROOT } from '@tickwork/local-services';
import { loginCookie, testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process below `pid`, at any depth. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** The names in a process's environment. */
function environmentNames(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .map((entry) => entry.split('=')[0] as string)
    .filter(Boolean);
}

t.test('npm start: API, 3 workers and its own FerretDB; SIGINT stops them all', async (t) => {
  const { env } = testEnvironment(t);
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwork-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    PORT: String(port),
    WORKERS: '3',
    LOG_LEVEL: 'info',
    TICKWORK_DATA_DIR: dataDir,
    SESSION_SECRET: 's'.repeat(40),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Very$ecret-start',
  };
  delete childEnv.MONGODB_URL;
  const start = spawn(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs')], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [start.stdout, start.stderr])
    createInterface({ input: stream }).on('line', (l) => output.push(l));
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (start.exitCode === null) start.kill('SIGKILL');
  });

  await waitFor('"Tickwork is up"', () => output.some((l) => l.includes('Tickwork is up')), 120_000).catch((err) => {
    throw new Error(`${err.message}\n${output.join('\n')}`);
  });
  t.ok(
    output.some((l) => /MongoDB-wire: ferretdb \(sqlite\)/.test(l)),
    'started its own FerretDB',
  );

  const cookie = await loginCookie(`http://127.0.0.1:${port}`, 'admin', 'Very$ecret-start');
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/jobs`, { headers: { cookie } });
  t.equal(res.status, 200);
  const { jobs } = (await res.json()) as { jobs: Array<{ name: string; minute: string }> };
  t.match(jobs, [{ name: 'My Awesome Job', minute: '*/1' }], 'the demo job was seeded');

  const workerLines = await waitFor('three workers', () => {
    const lines = output.filter((l) => /^worker-\d.*worker started on \S+ with pid \d+/.test(l));
    return lines.length === 3 ? lines : undefined;
  });
  const pids = new Set(workerLines.map((l) => l.match(/with pid (\d+)/)?.[1]));
  t.equal(pids.size, 3, 'three worker processes, each logging hostname and pid');
  for (const pid of pids) {
    const names = environmentNames(Number(pid));
    t.ok(names.includes('MONGODB_URL'), `worker ${pid} has what it connects to`);
    for (const secret of ['SESSION_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD']) {
      t.notOk(names.includes(secret), `worker ${pid} is not given ${secret}`);
    }
  }

  const ours = descendants(start.pid as number);
  t.ok(ours.length >= 5, `api, 3 workers and ferretdb run under npm start (${ours.length} processes)`);
  start.kill('SIGINT');
  t.equal(await exited, 0, 'exits 0 on SIGINT');
  await waitFor('every child to be gone', () => ours.every((pid) => !alive(pid)), 15_000);
  t.pass('no process of ours is left running');
});

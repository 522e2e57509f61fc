// `npm start` as a new user runs it: node scripts/start.mjs with WORKERS=3, no MONGODB_URL and no secrets, so
// it starts its own FerretDB on a PostgreSQL cluster of its own and makes a session key in the data dir. The
// first user is added through the running API and logs in at once with the seed's curl call. The API has the
// key, the workers do not.
// Then SIGINT must leave no process of ours behind, and a second start on the same data dir finds what the
// first stored, the user's session included. A worker killed with -9 there is restarted while the rest
// keeps serving, and its run ends failed.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, REPO_ROOT } from '@tickwork/local-services';
import { testEnvironment, waitFor } from '@tickwork/testing';
import t, { type Test } from 'tap';

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

/** The command each process runs (`postgres` for PostgreSQL's, whatever their role). */
function command(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/**
 * The seed's login, as its curl call is written (host and port aside): the cookie jar it writes, as the
 * Cookie header the rest of the test sends.
 */
function seedCurlLogin(port: number, username: string, password: string): string {
  const jar = execFileSync(
    'curl',
    [
      '--silent',
      '--output',
      '/dev/null',
      '--data-urlencode',
      `username=${username}`,
      '--data-urlencode',
      `password=${password}`,
      '--cookie-jar',
      '-',
      `http://localhost:${port}/login`,
    ],
    { encoding: 'utf8' },
  );
  const cookies = jar
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => line.split('\t').slice(5, 7).join('='));
  if (!cookies.some((c) => c.startsWith('tickwork_session='))) throw new Error(`no session in the jar:\n${jar}`);
  return cookies.join('; ');
}

/** `node scripts/start.mjs` as a user runs it, with no MONGODB_URL: it provides its own store. */
async function npmStart(t: Test, env: NodeJS.ProcessEnv) {
  const start = spawn(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs')], {
    env,
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
  return { start, output, exited, pid: start.pid as number };
}

// Two starts, the first creating a PostgreSQL cluster: more than the suite's 120 s on a loaded machine.
t.setTimeout(300_000);

t.test('npm start: API, 3 workers, FerretDB on its own PostgreSQL; SIGINT stops them all; data kept', async (t) => {
  const { env } = testEnvironment(t);
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwork-start-'));
  // As root PostgreSQL runs as the user postgres, which must be able to pass through the data dir's parents.
  chmodSync(dataDir, 0o711);
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    PORT: String(port),
    WORKERS: '3',
    LOG_LEVEL: 'info',
    TICKWORK_DATA_DIR: dataDir,
  };
  for (const name of [
    'MONGODB_URL',
    'FERRETDB_BACKEND',
    'FERRETDB_POSTGRESQL_URL',
    'SESSION_SECRET',
    'ADMIN_USERNAME',
    'ADMIN_PASSWORD',
  ]) {
    delete childEnv[name];
  }
  const api = `http://127.0.0.1:${port}/api/v1/jobs`;

  const first = await npmStart(t, childEnv);
  t.ok(
    first.output.some((l) =>
      /MongoDB-wire: FerretDB 1\.24 on PostgreSQL 17\.\d+ \(private cluster in .*\/postgres, port \d+\)/.test(l),
    ),
    'says it runs FerretDB on a private PostgreSQL cluster in the data dir',
    { output: first.output.join('\n') },
  );
  t.ok(
    first.output.some((l) => /PostgreSQL 17\.\d+: created the cluster in/.test(l)),
    'created it on first start',
  );

  const keyFile = join(dataDir, 'session-secret');
  t.equal(statSync(keyFile).mode & 0o777, 0o600, 'a session key was made in the data dir, for its owner only');
  // The README's first user: added through the running API while none exists, then logged in at once.
  const added = await fetch(`http://127.0.0.1:${port}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Very$ecret-start', role: 'admin' }),
  });
  t.equal(added.status, 201, 'the first user is added through the API');
  const cookie = seedCurlLogin(port, 'admin', 'Very$ecret-start');
  const res = await fetch(api, { headers: { cookie } });
  t.equal(res.status, 200);
  const { jobs } = (await res.json()) as { jobs: Array<{ name: string; minute: string }> };
  t.match(jobs, [{ name: 'My Awesome Job', minute: '*/1' }], 'the demo job was seeded');
  const created = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', name: 'Kept', hour: '3' }),
  });
  t.equal(created.status, 201, 'a job of ours is stored');

  const workerLines = await waitFor('three workers', () => {
    const lines = first.output.filter((l) => /^worker-\d.*worker started on \S+ with pid \d+/.test(l));
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

  const ours = descendants(first.pid);
  t.ok(ours.length >= 6, `api, 3 workers, ferretdb and postgres run under npm start (${ours.length} processes)`);
  t.ok(
    ours.some((pid) => command(pid) === 'postgres'),
    'PostgreSQL is among them',
  );
  const key = readFileSync(keyFile, 'utf8');
  first.start.kill('SIGINT');
  t.equal(await first.exited, 0, 'exits 0 on SIGINT');
  await waitFor('every child to be gone', () => ours.every((pid) => !alive(pid)), 15_000);
  t.pass('no process of ours is left running, PostgreSQL included');

  // FerretDB's SQLite data from before this default: left alone, and said to be unused.
  mkdirSync(join(dataDir, 'mongo'));
  writeFileSync(join(dataDir, 'mongo', 'tickwork.sqlite'), '');
  // Short leases, so that a killed worker's run is closed out in seconds rather than the default 40.
  const second = await npmStart(t, {
    ...childEnv,
    WORKERS: '1',
    EXECUTION_LEASE_SEC: '2',
    WORKER_HEARTBEAT_SEC: '1',
    REAPER_INTERVAL_SEC: '1',
  });
  t.ok(
    second.output.some((l) => /PostgreSQL 17\.\d+: reused the cluster in/.test(l)),
    'a second start reuses the cluster',
  );
  t.ok(
    second.output.some((l) => /mongo \(FerretDB's SQLite data from before\) is no longer used/.test(l)),
    'and says the old SQLite data is no longer used',
  );
  t.ok(existsSync(join(dataDir, 'mongo', 'tickwork.sqlite')), 'without deleting it');
  t.equal(readFileSync(keyFile, 'utf8'), key, 'the same session key');
  const again = (await (await fetch(api, { headers: { cookie } })).json()) as { jobs: Array<{ name: string }> };
  t.ok(
    again.jobs.some((job) => job.name === 'Kept'),
    'the job stored before the restart is still there, read with the session from before it',
  );
  const fresh = seedCurlLogin(port, 'admin', 'Very$ecret-start');
  t.equal((await fetch(api, { headers: { cookie: fresh } })).status, 200, 'and logging in again works');

  // kill -9 of the worker mid-run: npm start restarts it, the API keeps answering, the run ends failed.
  const { job_id } = (await (
    await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: fresh },
      body: JSON.stringify({
        name: 'long',
        job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
        pub_args: ['sleep', '61.5'],
        hour: '0',
      }),
    })
  ).json()) as { job_id: string };
  t.teardown(() => {
    try {
      execFileSync('pkill', ['-f', 'sleep 61.5']);
    } catch {
      // already gone
    }
  });
  const executions = `http://127.0.0.1:${port}/api/v1/executions`;
  const { execution_id } = (await (
    await fetch(`${executions}/${job_id}`, { method: 'POST', headers: { cookie: fresh } })
  ).json()) as { execution_id: string };
  const execution = async () =>
    (await (await fetch(`${executions}/${execution_id}`, { headers: { cookie: fresh } })).json()) as {
      state: string;
      pid: number;
      result?: string;
    };
  const running = await waitFor('the run to be running', async () => {
    const found = await execution();
    return found.state === 'running' ? found : undefined;
  });
  const workerPid = (pid: string | undefined) => second.output.some((l) => l.includes(`with pid ${pid}`));
  t.ok(workerPid(String(running.pid)), 'it runs on the one worker');
  process.kill(running.pid, 'SIGKILL');
  await waitFor('npm start to restart the worker', () =>
    second.output.some((l) => /worker-1 exited \(SIGKILL\) after .*; restarting it (now|in 1 s)/.test(l)),
  );
  const restarted = await waitFor('a new worker process', () => {
    const pids = second.output.flatMap((l) => /^worker-1.*worker started on \S+ with pid (\d+)/.exec(l)?.[1] ?? []);
    return pids.find((pid) => pid !== String(running.pid));
  });
  t.ok(alive(Number(restarted)), 'the worker was restarted');
  t.equal((await fetch(api, { headers: { cookie: fresh } })).status, 200, 'the API kept answering');
  const failed = await waitFor('the run to end', async () => {
    const found = await execution();
    return found.state === 'failed' ? found : undefined;
  });
  t.match(failed, { state: 'failed', pid: running.pid }, 'the killed worker’s run ends failed');
  t.notOk(
    second.output.some((l) => /stopping everything/.test(l)),
    'nothing else was stopped',
  );

  t.same(
    [...first.output, ...second.output].filter((l) => /DeprecationWarning|deprecated/i.test(l)),
    [],
    'no deprecation warning at start or in the run path',
  );

  const secondOurs = descendants(second.pid);
  second.start.kill('SIGINT');
  t.equal(await second.exited, 0, 'exits 0 on SIGINT again');
  await waitFor('every child to be gone', () => secondOurs.every((pid) => !alive(pid)), 15_000);
});

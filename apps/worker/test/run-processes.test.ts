// A run's processes end with it: stop and timeout kill every program a ShellJob started — those that left
// its session with setsid and whose parent is gone included — and so does a run's end, for what it left
// behind; a program is held to JOB_MAX_MEMORY_MB. Against real worker processes, with a cgroup v2 per run
// where this machine allows one (JOB_CGROUP=auto) and without (JOB_CGROUP=off); /proc says what is left.
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { processesMatching, spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { type ApiClient, startApi } from '@tickwork/testkit';
import t from 'tap';

async function execution(api: ApiClient, id: string) {
  return (await api.request('GET', `/api/v1/executions/${id}`)).body;
}

async function start(api: ApiClient, argv: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const job = await api.request('POST', '/api/v1/jobs', {
    name: 'tree',
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: argv,
    hour: '0',
    ...extra,
  });
  if (job.status !== 201) throw new Error(job.text);
  return (await api.request('POST', `/api/v1/executions/${job.body.job_id}`)).body.execution_id;
}

async function ended(api: ApiClient, id: string) {
  return waitFor(`${id} to end`, async () => {
    const e = await execution(api, id);
    return ['succeeded', 'failed', 'timeout', 'stopped'].includes(e.state) ? e : undefined;
  });
}

/**
 * A program that leaves three sleeps of its own: one orphaned in a session of its own (its parent exits at
 * once), one in a session of its own, and itself. `tag` (a duration no other test uses) finds them in /proc.
 */
function escaping(tag: string): string[] {
  return ['/bin/sh', '-c', `(setsid sleep ${tag} &); setsid sleep ${tag} & exec sleep ${tag}`];
}

const newTag = () => `${randomInt(600, 900)}.${randomInt(10_000, 99_999)}`;
const allocate = (mb: number) => ['perl', '-e', 'my $x = "a" x (shift() * 1048576); print "allocated\\n"', String(mb)];

// Each mode has a queue and a worker of its own, and both run at once; so do the checks within each.
t.jobs = 2;
for (const mode of ['auto', 'off']) {
  t.test(`JOB_CGROUP=${mode}`, { jobs: 4 }, async (t) => {
    const environment = testEnvironment(t, { JOB_MAX_MEMORY_MB: '100' });
    const api = await startApi(t, environment);
    const worker = await spawnWorker(t, environment, { JOB_CGROUP: mode });
    // Run before spawnWorker's own teardown (a SIGKILL; teardowns run last first): a graceful stop, which
    // removes the worker's cgroups.
    t.teardown(async () => {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
      const exited = new Promise((resolve) => worker.child.once('exit', resolve));
      worker.child.kill('SIGTERM');
      await exited;
    });
    const said = worker.output.filter((l) => l.includes('job processes:'));
    t.equal(said.length, 1, 'the worker says once at start how it holds runs');
    t.comment(said[0] ?? '');
    if (mode === 'off') t.match(said[0], /without a cgroup per run \(JOB_CGROUP=off\)/);

    t.test('stop kills every process of the run, setsid ones included, before it is recorded', async (t) => {
      const tag = newTag();
      const id = await start(api, escaping(tag));
      await waitFor('the three sleeps to run', () => processesMatching(`sleep ${tag}`).length === 3);
      await api.request('DELETE', `/api/v1/executions/${id}`);
      t.equal((await ended(api, id)).state, 'stopped');
      t.same(processesMatching(`sleep ${tag}`), [], 'none is left when the run shows stopped');
    });

    t.test('a timeout does the same', async (t) => {
      const tag = newTag();
      // The pids are written down as they start: the timeout may come before the test could look.
      const pids = join(mkdtempSync(join(tmpdir(), 'tw-tree-')), 'pids');
      t.teardown(() => rmSync(dirname(pids), { recursive: true }));
      const id = await start(
        api,
        [
          '/bin/sh',
          '-c',
          `(setsid sleep ${tag} & echo $! >> ${pids}); setsid sleep ${tag} & echo $! >> ${pids}; echo $$ >> ${pids}; exec sleep ${tag}`,
        ],
        // Long enough for the shell to start its three sleeps on a loaded machine (2 s was not, in CI).
        { timeout: 6 },
      );
      t.equal((await ended(api, id)).state, 'timeout');
      t.equal(readFileSync(pids, 'utf8').trim().split('\n').length, 3, 'the three sleeps had started');
      t.same(processesMatching(`sleep ${tag}`), [], 'none is left when the run shows timeout');
    });

    t.test('what a finished run left running is killed with it', async (t) => {
      const tag = newTag();
      const id = await start(api, ['/bin/sh', '-c', `(setsid sleep ${tag} >/dev/null 2>&1 &); echo left one`]);
      t.equal((await ended(api, id)).state, 'succeeded');
      t.same(processesMatching(`sleep ${tag}`), [], 'the daemonized sleep is gone when the run shows succeeded');
    });

    t.test('a program cannot allocate past JOB_MAX_MEMORY_MB', async (t) => {
      const [big, small] = await Promise.all([start(api, allocate(300)), start(api, allocate(20))]);
      const output = async (id: string) => (await api.request('GET', `/api/v1/executions/${id}/output`)).body.output;
      const done = await ended(api, big);
      t.notMatch(await output(big), /allocated/, '300 MB were not had under a 100 MB limit');
      t.not(JSON.parse(done.result).returncode, 0, 'the program failed (or was killed)');
      await ended(api, small);
      t.equal(await output(small), 'allocated\n', '20 MB are');
    });
  });
}

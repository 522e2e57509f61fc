// A job that throws, rejects, hangs, calls process.exit, leaks an unhandled rejection or allocates until it
// dies takes down neither its worker nor other runs: each runs in a child process of the worker.
import { fileURLToPath } from 'node:url';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const fixture = fileURLToPath(new URL('./fixtures/misbehaving-jobs.mjs', import.meta.url));
const environment = testEnvironment(t, {
  JOB_CLASS_PACKAGES: `@tickwork/sample-jobs,${fixture}`,
  JOB_MAX_MEMORY_MB: '64',
});
const api = await startApi(t, environment);
const worker = await spawnWorker(t, environment);

async function runOnce(job_class_string: string, extra: Record<string, unknown> = {}) {
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', { name: job_class_string, job_class_string, hour: '0', ...extra })
  ).body;
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${job_id}`)).body;
  return waitFor(
    `${job_class_string} to finish`,
    async () => {
      const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
      return ['succeeded', 'failed', 'timeout', 'stopped', 'scheduled error'].includes(body.state) ? body : undefined;
    },
    30_000,
  );
}

const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
  ['misbehaving.Throws', {}, 'failed', /thrown on purpose/],
  ['misbehaving.Rejects', {}, 'failed', /rejected on purpose/],
  ['misbehaving.Hangs', { timeout: 1 }, 'timeout', /timed out after 1 s/],
  ['misbehaving.Exits', {}, 'failed', /the job's process exited \(code 0\)/],
  ['misbehaving.LeaksRejection', {}, 'failed', /nobody handles this/],
  ['misbehaving.Allocates', {}, 'failed', /the job's process exited|heap|memory/i],
  // A 2 MB return value: kept up to 256 KB, like output, so the end still fits in one write.
  ['misbehaving.HugeResult', {}, 'succeeded', /^\n"x{1000}[\s\S]*\[result cut at 256 KB\]\n$/],
];

// Started together, so each misbehaves while the others run.
const healthy = runOnce('simple_scheduler.jobs.shell_job.ShellJob', { pub_args: ['sleep', '2'] });
const results = await Promise.all(cases.map(([cls, extra]) => runOnce(cls, extra)));

for (const [i, [cls, , state, description]] of cases.entries()) {
  t.test(cls, async (t) => {
    const execution = results[i];
    t.equal(execution.state, state);
    t.match(`${execution.description}\n${execution.result}`, description);
    t.equal(execution.pid, worker.pid, 'recorded by the worker process');
  });
}

t.test('the worker and the run beside them survive', async (t) => {
  t.equal(worker.child.exitCode, null, 'the worker process is still running');
  t.match(await healthy, { state: 'succeeded', result: '{\n    "returncode": 0\n}' });
  t.match(await runOnce('simple_scheduler.jobs.sample_job.AwesomeJob', { pub_args: ['after', 'all'] }), {
    state: 'succeeded',
    pid: worker.pid,
  });
});

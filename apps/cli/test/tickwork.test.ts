// The tickwork command against a real API with auth on, and `import` from a stand-in ndscheduler that answers
// the seed's documented GET /api/v1/jobs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JOB_FIELD_NAMES, type JobFieldName, jobFieldKind } from '@tickwork/domain';
import { REPO_ROOT } from '@tickwork/local-services';
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { runToEnd, startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';
import { buildProgram } from '../src/program.js';

// The seed's example, made valid JSON (its `["arg1": 1, "arg2": 2]` is not), plus a paused job as ndscheduler
// lists one: without a next run time.
const NDSCHEDULER_JOBS = {
  jobs: [
    {
      job_id: 'd8f376e858a411e4b6ae22000ac58d05',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      name: 'Clean APNs',
      pub_args: ['arg1', 1, 'arg2', 2],
      month: '*',
      day_of_week: '*',
      day: '*',
      hour: '*/1',
      minute: '*',
    },
    {
      job_id: 'ad9bb256a2ee11e5bbf702ba903740c3',
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      name: 'Nightly cleanup',
      pub_args: ['/bin/echo', 'cleaning'],
      month: '*',
      day_of_week: 'mon-fri',
      day: '*',
      hour: '3',
      minute: '30',
      next_run_time: null,
    },
  ],
};
const standIn = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/api/v1/jobs') {
    return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(NDSCHEDULER_JOBS));
  }
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
t.teardown(() => standIn.close());
const ndscheduler = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
  // Each command here logs in afresh, as each run of the real command does.
  LOGIN_ATTEMPTS_PER_IP: '1000',
  LOGIN_ATTEMPTS_PER_USERNAME: '1000',
});
const api = await startApi(t, environment);
const scratch = mkdtempSync(join(tmpdir(), 'tickwork-cli-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `tickwork <args>` in this process, logged in as admin; returns what it printed. */
async function tickwork(args: string[], options: { stdin?: string; login?: string[] } = {}): Promise<string[]> {
  const lines: string[] = [];
  const program = buildProgram(
    { out: (line) => lines.push(line), readStdin: async () => options.stdin ?? '' },
    { TICKWORK_PASSWORD: 'Very$ecret' },
  );
  program.exitOverride();
  try {
    await program.parseAsync([
      'node',
      'tickwork',
      '--api',
      api.base,
      ...(options.login ?? ['--user', 'admin']),
      ...args,
    ]);
  } catch (err) {
    // What it printed before failing, for tests of a refusal.
    (err as { printed?: string[] }).printed = lines;
    throw err;
  }
  return lines;
}

t.test(
  'import from ndscheduler: a dry run plans, a run copies (paused state too), a second run changes nothing',
  async (t) => {
    t.same(await tickwork(['import', '--from', ndscheduler, '--dry-run']), [
      'would create "Clean APNs" (simple_scheduler.jobs.sample_job.AwesomeJob)',
      'would create "Nightly cleanup" (simple_scheduler.jobs.shell_job.ShellJob), paused',
      'plan: 2 create, 0 update, 0 unchanged',
    ]);
    t.same(
      (await tickwork(['jobs', 'list', '--json']).then((l) => JSON.parse(l.join('\n')))).length,
      0,
      'dry run changed nothing',
    );

    const done = await tickwork(['import', '--from', ndscheduler]);
    t.equal(done.at(-1), 'done: 2 create, 0 update, 0 unchanged');
    const jobs = JSON.parse((await tickwork(['--json', 'jobs', 'list'])).join('\n'));
    t.match(
      jobs.find((j: { name: string }) => j.name === 'Clean APNs'),
      { pub_args: ['arg1', 1, 'arg2', 2], hour: '*/1', minute: '*', next_run_time: /^\d{4}-/ },
    );
    t.match(
      jobs.find((j: { name: string }) => j.name === 'Nightly cleanup'),
      {
        day_of_week: 'mon-fri',
        hour: '3',
        minute: '30',
        next_run_time: '',
      },
      'paused, as it was',
    );

    t.same(
      (await tickwork(['import', '--from', ndscheduler])).at(-1),
      'done: 0 create, 0 update, 2 unchanged',
      'no duplicates',
    );
  },
);

t.test('export, then import the file: nothing to do; edit the file: one update', async (t) => {
  const file = join(scratch, 'jobs.json');
  const exported = JSON.parse((await tickwork(['export'])).join('\n'));
  t.equal(exported.jobs.length, 2);
  writeFileSync(file, JSON.stringify(exported));
  t.same((await tickwork(['import', '--file', file])).at(-1), 'done: 0 create, 0 update, 2 unchanged');
  exported.jobs[0].hour = '*/2';
  writeFileSync(file, JSON.stringify(exported));
  const changed = await tickwork(['import', '--file', file]);
  t.same(changed, [
    'update "Clean APNs" (simple_scheduler.jobs.sample_job.AwesomeJob): hour',
    'unchanged "Nightly cleanup" (simple_scheduler.jobs.shell_job.ShellJob)',
    'done: 0 create, 1 update, 1 unchanged',
  ]);
});

t.test('jobs, runs and the audit log; a token made by the CLI works for the CLI', async (t) => {
  const [jobId] = await tickwork([
    'jobs',
    'add',
    '--name',
    'cli job',
    '--class',
    'simple_scheduler.jobs.sample_job.AwesomeJob',
    '--args',
    '[1, "two"]',
    '--minute',
    '*/5',
  ]);
  t.match(jobId, /^[0-9a-f]{32}$/);
  await tickwork(['jobs', 'pause', jobId as string]);
  t.match(JSON.parse((await tickwork(['jobs', 'get', jobId as string])).join('\n')), {
    next_run_time: '',
    pub_args: [1, 'two'],
  });
  await tickwork(['jobs', 'resume', jobId as string]);
  await tickwork(['jobs', 'edit', jobId as string, '--name', 'renamed']);
  const [executionId] = await tickwork(['jobs', 'run', jobId as string]);
  t.match(JSON.parse((await tickwork(['executions', 'get', executionId as string])).join('\n')), {
    execution_id: executionId,
    job: { name: 'renamed' },
  });
  const [token] = await tickwork(['tokens', 'add', 'ci', '--role', 'editor']);
  const listed = await tickwork(['jobs', 'list'], { login: ['--token', token as string] });
  t.match(listed[0], /^JOB_ID\s+NAME\s+CLASS\s+SCHEDULE\s+NEXT RUN$/);
  t.ok(listed.some((l) => l.includes('renamed')));
  await tickwork(['jobs', 'rm', jobId as string], { login: ['--token', token as string] });
  const logs = await tickwork(['logs', '--since', '1h']);
  for (const event of ['added', 'paused', 'resumed', 'modified', 'custom_run', 'deleted']) {
    t.ok(
      logs.some((l) => l.includes(` ${event} `)),
      `the audit log shows ${event}`,
    );
  }
  t.ok(
    logs.some((l) => l.includes('token:ci') && l.includes(' deleted ')),
    'the delete names the token',
  );
  await t.rejects(
    tickwork(['jobs', 'get', jobId as string]),
    { message: /Job not found/ },
    "an API error in the API's words",
  );
});

t.test('users and tokens: an expiring token, a password reset, a removal naming its tokens', async (t) => {
  const asOps = { login: ['--user', 'ops', '--password-stdin'], stdin: 'ops password\n' };
  await tickwork(['users', 'add', 'ops', '--role', 'admin'], { stdin: 'ops password\n' });
  await tickwork(['tokens', 'add', 'ops-ci', '--role', 'viewer', '--expires-in-days', '30'], asOps);
  const admin = { cookie: await loginCookie(api.base, 'admin', 'Very$ecret') };
  const listed = (await api.request('GET', '/api/v1/tokens', undefined, admin)).body.tokens;
  t.match(
    listed.find((tk: { name: string }) => tk.name === 'ops-ci'),
    { created_by: 'ops', expires_at: /^\d{4}-/ },
  );
  await t.rejects(tickwork(['tokens', 'add', 'x', '--role', 'viewer', '--expires-in-days', 'soon']), {
    message: /expires_in_days must be integer/,
  });

  t.same(await tickwork(['users', 'passwd', 'ops'], { stdin: 'reset by admin\n' }), ['ops']);
  await t.rejects(loginCookie(api.base, 'ops', 'ops password'), /401/);
  t.ok(await loginCookie(api.base, 'ops', 'reset by admin'));

  t.same(await tickwork(['users', 'rm', 'ops']), [
    'ops',
    'tokens ops created still work: ops-ci (tokens rm <name>, or users rm --revoke-tokens)',
  ]);
  await tickwork(['users', 'add', 'dev', '--role', 'admin'], { stdin: 'dev password\n' });
  await tickwork(['tokens', 'add', 'dev-ci', '--role', 'viewer'], {
    login: ['--user', 'dev', '--password-stdin'],
    stdin: 'dev password\n',
  });
  t.same(await tickwork(['users', 'rm', 'dev', '--revoke-tokens']), ['dev', 'revoked the tokens dev created: dev-ci']);
});

/** A flag's text for each field of the job contract, and what the API then shows, by the field's kind. */
function sampleFor(field: JobFieldName): [string, unknown] {
  if (field === 'name') return ['every field', 'every field'];
  if (field === 'job_class_string')
    return ['simple_scheduler.jobs.sample_job.AwesomeJob', 'simple_scheduler.jobs.sample_job.AwesomeJob'];
  if (field === 'timezone') return ['Europe/Berlin', 'Europe/Berlin'];
  switch (jobFieldKind(field)) {
    case 'cron':
      return field === 'minute' ? ['7', '7'] : ['*', '*'];
    case 'json-array':
      return ['["a", 2]', ['a', 2]];
    case 'tags':
      return ['eu,backup', ['backup', 'eu']];
    case 'integer':
    case 'optional-integer':
      return ['3', 3];
    case 'optional-url':
      return ['https://example.com/hook', 'https://example.com/hook'];
    case 'crontab':
      // A crontab line and APScheduler fields together are refused: this job keeps its APScheduler fields.
      return ['', null];
    case 'chain':
      // Needs another job: '--after' has a test of its own.
      return ['', null];
    case 'text':
      return ['a note', 'a note'];
  }
}

t.test('jobs add and edit take every field of the job contract, each as a flag of its name', async (t) => {
  const args = JOB_FIELD_NAMES.filter((field) => field !== 'cron' && field !== 'after').flatMap((field) => [
    `--${field.replaceAll('_', '-')}`,
    sampleFor(field)[0],
  ]);
  const [id] = await tickwork(['jobs', 'add', ...args]);
  const shown = JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n'));
  for (const field of JOB_FIELD_NAMES) t.same(shown[field], sampleFor(field)[1], `${field} was set`);

  const optional = JOB_FIELD_NAMES.filter((field) => jobFieldKind(field).startsWith('optional-'));
  await tickwork(['jobs', 'edit', id as string, ...optional.flatMap((f) => [`--${f.replaceAll('_', '-')}`, 'none'])]);
  const cleared = JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n'));
  for (const field of optional) t.equal(cleared[field], null, `${field} cleared with "none"`);
});

t.test('--cron gives a job a crontab line; APScheduler flags take it back', async (t) => {
  const [id] = await tickwork([
    'jobs',
    'add',
    '--name',
    'crontab',
    '--class',
    'simple_scheduler.jobs.sample_job.AwesomeJob',
    '--cron',
    '*/5 * * * *',
  ]);
  const shown = JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n'));
  t.equal(shown.cron, '*/5 * * * *');
  t.equal(shown.minute, '*', 'the APScheduler fields are not used');
  t.match((await tickwork(['jobs', 'list'])).join('\n'), /cron=\*\/5 \* \* \* \*/, 'listed with its line');
  const exported = JSON.parse((await tickwork(['export'])).join('\n')).jobs.find(
    (job: { name: string }) => job.name === 'crontab',
  );
  t.same([exported.cron, exported.minute], ['*/5 * * * *', undefined], 'exported with its line, not the "*" fields');
  await tickwork(['jobs', 'edit', id as string, '--minute', '7']);
  const edited = JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n'));
  t.same([edited.cron, edited.minute], [null, '7']);
});

t.test('--after chains a job; export and import keep the chain, upstream first', async (t) => {
  const add = (...args: string[]) =>
    tickwork(['jobs', 'add', '--class', 'simple_scheduler.jobs.sample_job.AwesomeJob', ...args]);
  const [up] = await add('--name', 'chain top', '--minute', '*/5');
  const [down] = await add('--name', 'chain bottom', '--after', `${up}:failed`);
  const shown = JSON.parse((await tickwork(['jobs', 'get', down as string])).join('\n'));
  t.match(shown, { after: { job_id: up, on: 'failed' }, minute: '', next_run_time: '', paused: false });
  const listed = (await tickwork(['jobs', 'list'])).find((line) => line.startsWith(down as string));
  t.match(listed, new RegExp(`after=${up}:failed\\s+after its upstream$`), 'listed with what it waits for');
  const [plain] = await add('--name', 'chain default', '--after', up as string);
  t.same(JSON.parse((await tickwork(['jobs', 'get', plain as string])).join('\n')).after, {
    job_id: up,
    on: 'succeeded',
  });
  await tickwork(['jobs', 'rm', plain as string]);

  const exported = JSON.parse((await tickwork(['export'])).join('\n')).jobs as Array<Record<string, unknown>>;
  const top = exported.find((job) => job.name === 'chain top');
  const bottom = exported.find((job) => job.name === 'chain bottom');
  t.match(top, { job_id: up, minute: '*/5' }, 'an upstream keeps its id');
  t.match(bottom, { job_id: down, after: { job_id: up, on: 'failed' }, paused: false });
  t.equal(bottom?.minute, undefined, 'no "" fields');
  const file = join(scratch, 'chain.json');
  writeFileSync(file, JSON.stringify({ jobs: [bottom, top] }));
  t.same((await tickwork(['import', '--file', file])).at(-1), 'done: 0 create, 0 update, 2 unchanged');

  // Into an empty Tickwork, the waiting job listed first: its upstream is created first, and linked by its new id.
  const other = await startApi(t, testEnvironment(t));
  const into = async (args: string[]) => {
    const lines: string[] = [];
    const program = buildProgram({ out: (line) => lines.push(line), readStdin: async () => '' }, {});
    program.exitOverride();
    await program.parseAsync(['node', 'tickwork', '--api', other.base, ...args]);
    return lines;
  };
  t.same(await into(['import', '--file', file]), [
    'create "chain top" (simple_scheduler.jobs.sample_job.AwesomeJob)',
    'create "chain bottom" (simple_scheduler.jobs.sample_job.AwesomeJob)',
    'done: 2 create, 0 update, 0 unchanged',
  ]);
  const copied = JSON.parse((await into(['--json', 'jobs', 'list'])).join('\n')) as Array<Record<string, unknown>>;
  const newTop = copied.find((job) => job.name === 'chain top');
  t.match(
    copied.find((job) => job.name === 'chain bottom'),
    {
      after: { job_id: newTop?.job_id, on: 'failed' },
      paused: false,
      minute: '',
    },
  );
  t.same((await into(['import', '--file', file])).at(-1), 'done: 0 create, 0 update, 2 unchanged');

  await tickwork(['jobs', 'edit', down as string, '--after', 'none', '--minute', '5']);
  t.match(JSON.parse((await tickwork(['jobs', 'get', down as string])).join('\n')), { after: null, minute: '5' });
});

t.test('`npx tickwork --help` works', async (t) => {
  const { stdout } = await promisify(execFile)('npx', ['tickwork', '--help'], { cwd: REPO_ROOT });
  t.match(stdout, /Usage: tickwork \[options\] \[command\]/);
  t.match(stdout, /import \[options\]\s+copy jobs into --api/);
});

t.test('import --crontab: one ShellJob per line, run as cron would; a second import changes nothing', async (t) => {
  await startWorker(t, environment);
  const crontab = join(scratch, 'crontab');
  writeFileSync(
    crontab,
    [
      '# m h dom mon dow command',
      'GREETING = "hello there"',
      'CRON_TZ=Europe/Berlin',
      '',
      '30 2 * * 1-5 echo "$GREETING" from "$0"',
      '@reboot /usr/local/bin/warm-cache',
      '@daily tr a-z A-Z%first line%second \\% line',
      'SHELL=/bin/bash',
      '*/10 * * * * echo "$GREETING" from "$0"',
    ].join('\n'),
  );
  const planned = await tickwork(['import', '--crontab', crontab, '--dry-run']);
  t.same(planned, [
    `skip ${crontab}:6: @reboot: a fleet has no boot to run it at`,
    'would create "echo "$GREETING" from "$0"" (simple_scheduler.jobs.shell_job.ShellJob)',
    'would create "tr a-z A-Z" (simple_scheduler.jobs.shell_job.ShellJob)',
    'would create "echo "$GREETING" from "$0" (2)" (simple_scheduler.jobs.shell_job.ShellJob)',
    'plan: 3 create, 0 update, 0 unchanged',
  ]);
  t.equal((await tickwork(['import', '--crontab', crontab])).at(-1), 'done: 3 create, 0 update, 0 unchanged');
  t.equal(
    (await tickwork(['import', '--crontab', crontab])).at(-1),
    'done: 0 create, 0 update, 3 unchanged',
    'idempotent',
  );

  const jobs = JSON.parse((await tickwork(['export'])).join('\n')).jobs as Array<Record<string, unknown>>;
  const byName = (name: string) => jobs.find((job) => job.name === name) as Record<string, unknown>;
  t.match(byName('echo "$GREETING" from "$0"'), {
    cron: '30 2 * * 1-5',
    timezone: 'Europe/Berlin',
    description: 'from crontab crontab',
  });
  const cookie = await loginCookie(api.base, 'admin', 'Very$ecret');
  const runs = await Promise.all(
    ['echo "$GREETING" from "$0"', 'tr a-z A-Z', 'echo "$GREETING" from "$0" (2)'].map(async (name) => {
      const { job_id } = (await api.request('GET', '/api/v1/jobs', undefined, { cookie })).body.jobs.find(
        (job: { name: string }) => job.name === name,
      );
      return runToEnd(api, job_id, { cookie });
    }),
  );
  t.same(
    runs.map((run) => [run.state, (run.output as string).trimEnd().split('\n')]),
    [
      ['succeeded', ['hello there from /bin/sh']],
      ['succeeded', ['FIRST LINE', 'SECOND % LINE']],
      ['succeeded', ['hello there from /bin/bash']],
    ],
    "each line's variables, shell and % input, as cron gives them",
  );
});

t.test('import --crontab refuses a file cron would refuse, naming each bad line', async (t) => {
  const crontab = join(scratch, 'bad-crontab');
  writeFileSync(crontab, ['61 * * * * echo late', '* * * * *', '0 0 * * * echo fine'].join('\n'));
  const refused = await tickwork(['import', '--crontab', crontab]).then(
    () => undefined,
    (err: Error & { printed?: string[] }) => err,
  );
  t.equal(refused?.message, `${crontab}: 2 line(s) cron would refuse; nothing imported`);
  t.match(refused?.printed, [
    new RegExp(`^${crontab}:1: cron: "61 \\* \\* \\* \\*": .*61`),
    `${crontab}:2: expected five time fields and a command`,
  ]);
  t.notOk(
    JSON.parse((await tickwork(['export'])).join('\n')).jobs.some((job: { name: string }) => job.name === 'echo fine'),
    'nothing imported',
  );
});

t.test(
  'jobs add --worker-tags, export/import keep the tags; tickwork workers shows live workers with theirs',
  async (t) => {
    const [id] = await tickwork([
      'jobs',
      'add',
      '--name',
      'tagged',
      '--class',
      'simple_scheduler.jobs.sample_job.AwesomeJob',
      '--hour',
      '4',
      '--worker-tags',
      'eu, backup',
    ]);
    t.same(JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n')).worker_tags, ['backup', 'eu']);
    await tickwork(['jobs', 'edit', id as string, '--worker-tags', 'none']);
    t.same(JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n')).worker_tags, [], '"none": no tags');
    await t.rejects(tickwork(['jobs', 'edit', id as string, '--worker-tags', 'Bad Tag']), /worker_tags/);

    const file = join(scratch, 'tagged.json');
    const exported = JSON.parse((await tickwork(['export'])).join('\n'));
    const mine = exported.jobs.find((j: { name: string }) => j.name === 'tagged');
    t.same(mine.worker_tags, [], 'exported with its tags');
    mine.worker_tags = ['gpu'];
    writeFileSync(file, JSON.stringify({ jobs: [mine] }));
    t.same((await tickwork(['import', '--file', file])).slice(0, 1), [
      'update "tagged" (simple_scheduler.jobs.sample_job.AwesomeJob): worker_tags',
    ]);
    t.same(JSON.parse((await tickwork(['jobs', 'get', id as string])).join('\n')).worker_tags, ['gpu'], 'imported');

    await api.app.workerRegistry.publish(
      {
        worker_id: 'w'.repeat(32),
        hostname: 'host-tagged',
        pid: 4343,
        started: new Date().toISOString(),
        concurrency: 4,
        tags: ['backup', 'eu'],
        running: 1,
        executions: [],
        job_classes: [],
        last_heartbeat: new Date().toISOString(),
      },
      60_000,
    );
    t.teardown(() => api.app.workerRegistry.remove('w'.repeat(32)));
    const lines = await tickwork(['workers']);
    t.match(lines[0], /^HOST\s+PID\s+TAGS\s+RUNNING/);
    t.ok(
      lines.some((line) => /^host-tagged\s+4343\s+backup,eu\s+1\/4/.test(line)),
      lines.join('\n'),
    );
  },
);

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { JOB_CRON_FIELDS as CRON_FIELDS } from '@tickwork/domain/job-contract';
import { Command, Option } from 'commander';
import { ApiClient } from './api-client.js';
import { crontabJobs, parseCrontab } from './crontab-file.js';
import { addJobOptions, jobFieldsFrom } from './job-options.js';
import { describeStep, jobBody, planImport, type TransferJob, withAfterMapped } from './job-transfer.js';

/** Where the command's text goes; tests capture it. */
export interface Io {
  out(line: string): void;
  /** All of standard input (a password), read only when a command asks for it. */
  readStdin(): Promise<string>;
}

/** "1h", "30m", "2d" before now, or an ISO time. */
function since(value: string): string {
  const match = /^(\d+)([smhd])$/.exec(value);
  if (!match) return value;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return new Date(Date.now() - Number(match[1]) * unit * 1000).toISOString();
}

function table(io: Io, rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows)
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

function schedule(job: Record<string, unknown>): string {
  const after = job.after as { job_id: string; on: string } | null | undefined;
  const chained = after ? ` after=${after.job_id}:${after.on}` : '';
  if (typeof job.cron === 'string') return `cron=${job.cron}${chained}`;
  const fields = CRON_FIELDS.filter((f) => job[f] !== undefined && job[f] !== '')
    .map((f) => `${f}=${job[f]}`)
    .join(' ');
  return `${fields}${chained}`.trim();
}

/**
 * `tickwork`: jobs, executions, the audit log, users and tokens through the REST API, and moving jobs
 * between ndscheduler and Tickwork instances (import, export).
 */
export function buildProgram(io: Io, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('tickwork')
    .description('Command line for Tickwork (and ndscheduler) REST APIs')
    .addOption(new Option('--api <url>', 'API base URL').env('TICKWORK_API').default('http://127.0.0.1:8888'))
    .addOption(new Option('--token <token>', 'API token').env('TICKWORK_TOKEN'))
    .addOption(new Option('--user <name>', 'log in as this user').env('TICKWORK_USER'))
    .option('--password-stdin', 'read the password from standard input (else TICKWORK_PASSWORD)')
    .option('--json', 'print the API answers as JSON')
    .showHelpAfterError();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()) });

  let client: ApiClient | undefined;
  const api = async (): Promise<ApiClient> => {
    if (client) return client;
    const options = program.opts();
    const password = options.passwordStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : env.TICKWORK_PASSWORD;
    client = new ApiClient(options.api, { token: options.token, user: options.user, password });
    return client;
  };
  const json = () => Boolean(program.opts().json);
  const print = (value: unknown) => io.out(JSON.stringify(value, null, 2));

  const jobs = program.command('jobs').description('list, show, add, edit, pause, resume, remove and run jobs');
  jobs
    .command('list')
    .description('all jobs')
    .action(async () => {
      const all = await (await api()).allJobs<Record<string, string>>();
      if (json()) return print(all);
      table(io, [
        ['JOB_ID', 'NAME', 'CLASS', 'SCHEDULE', 'NEXT RUN'],
        ...all.map((j) => [
          j.job_id ?? '',
          j.name ?? '',
          j.job_class_string ?? '',
          schedule(j),
          j.next_run_time || ((j as { paused?: boolean }).paused === false ? 'after its upstream' : 'paused'),
        ]),
      ]);
    });
  jobs
    .command('get <job_id>')
    .description('one job, as JSON')
    .action(async (id: string) => print(await (await api()).request('GET', `/api/v1/jobs/${id}`)));
  addJobOptions(jobs.command('add').description('add a job'))
    .addOption(new Option('--file <path>', 'the job as JSON (options override its fields)'))
    .action(async (options) => {
      const fromFile = options.file ? JSON.parse(await readFile(options.file, 'utf8')) : {};
      const { job_id } = await (await api()).request<{ job_id: string }>('POST', '/api/v1/jobs', {
        ...fromFile,
        ...jobFieldsFrom(options),
      });
      io.out(job_id);
    });
  addJobOptions(jobs.command('edit <job_id>').description('change the fields given')).action(
    async (id: string, options) => {
      await (await api()).request('PUT', `/api/v1/jobs/${id}`, jobFieldsFrom(options));
      io.out(id);
    },
  );
  for (const [name, method, what] of [
    ['pause', 'PATCH', 'pause a job'],
    ['resume', 'OPTIONS', 'resume a paused job'],
    ['rm', 'DELETE', 'delete a job'],
  ] as const) {
    jobs
      .command(`${name} <job_id>`)
      .description(what)
      .action(async (id: string) => {
        await (await api()).request(method, `/api/v1/jobs/${id}`);
        io.out(id);
      });
  }
  jobs
    .command('run <job_id>')
    .description('run a job now; prints the execution id')
    .action(async (id: string) => {
      const { execution_id } = await (await api()).request<{ execution_id: string }>(
        'POST',
        `/api/v1/executions/${id}`,
      );
      io.out(execution_id);
    });

  const executions = program.command('executions').description('list, show and stop runs');
  executions
    .command('list')
    .description('runs scheduled in a time range')
    .option('--since <when>', 'start: 10m, 1h, 2d ago, or an ISO time', '1h')
    .option('--until <when>', 'end: an ISO time (default now)')
    .action(async (options: { since: string; until?: string }) => {
      const query = new URLSearchParams({ time_range_start: since(options.since) });
      query.set('time_range_end', options.until ? since(options.until) : new Date().toISOString());
      const { executions: all } = await (await api()).request<{ executions: Array<Record<string, unknown>> }>(
        'GET',
        `/api/v1/executions?${query}`,
      );
      if (json()) return print(all);
      table(io, [
        ['EXECUTION_ID', 'STATE', 'JOB', 'HOST', 'PID', 'SCHEDULED'],
        ...all.map((e) => [
          String(e.execution_id),
          String(e.state),
          String((e.job as { name?: string })?.name ?? ''),
          String(e.hostname ?? ''),
          String(e.pid ?? ''),
          String(e.scheduled_time ?? ''),
        ]),
      ]);
    });
  executions
    .command('get <execution_id>')
    .description('one run, as JSON')
    .action(async (id: string) => print(await (await api()).request('GET', `/api/v1/executions/${id}`)));
  executions
    .command('stop <execution_id>')
    .description('stop a running run')
    .action(async (id: string) => {
      await (await api()).request('DELETE', `/api/v1/executions/${id}`);
      io.out(id);
    });

  program
    .command('logs')
    .description('the audit log')
    .option('--since <when>', 'start: 10m, 1h, 2d ago, or an ISO time', '1d')
    .action(async (options: { since: string }) => {
      const query = new URLSearchParams({
        time_range_start: since(options.since),
        time_range_end: new Date().toISOString(),
      });
      const { logs } = await (await api()).request<{ logs: Array<Record<string, string>> }>(
        'GET',
        `/api/v1/logs?${query}`,
      );
      if (json()) return print(logs);
      table(io, [
        ['CREATED', 'USER', 'EVENT', 'JOB', 'DESCRIPTION'],
        ...logs.map((l) => [
          l.created_time ?? '',
          l.user ?? '',
          l.event ?? '',
          l.job_name ?? '',
          (l.description ?? '').split('\n')[0] ?? '',
        ]),
      ]);
    });

  program
    .command('workers')
    .description('live workers: host, pid, tags, runs going and slots')
    .action(async () => {
      const { workers } = await (await api()).request('GET', '/api/v1/workers');
      if (json()) return print(workers);
      table(io, [
        ['HOST', 'PID', 'TAGS', 'RUNNING', 'LAST HEARTBEAT'],
        ...(workers as Array<Record<string, unknown>>).map((w) => [
          String(w.hostname ?? ''),
          String(w.pid ?? ''),
          ((w.tags as string[] | undefined) ?? []).join(',') || '-',
          `${w.running ?? 0}/${w.concurrency ?? 0}`,
          String(w.last_heartbeat ?? ''),
        ]),
      ]);
    });

  const users = program.command('users').description('users (admins only)');
  users.command('list').action(async () => print((await (await api()).request('GET', '/api/v1/users')).users));
  users
    .command('add <username>')
    .description("add a user; the new user's password is read from standard input")
    .requiredOption('--role <role>', 'admin, editor or viewer')
    .action(async (username: string, options: { role: string }) => {
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      await (await api()).request('POST', '/api/v1/users', { username, password, role: options.role });
      io.out(username);
    });
  users
    .command('rm <username>')
    .description('remove a user; names the API tokens they created, which keep working unless --revoke-tokens')
    .option('--revoke-tokens', 'also revoke the API tokens the user created')
    .action(async (username: string, options: { revokeTokens?: boolean }) => {
      const query = options.revokeTokens ? '?revoke_tokens=true' : '';
      const removed = await (await api()).request<{ tokens: string[]; tokens_revoked: boolean }>(
        'DELETE',
        `/api/v1/users/${encodeURIComponent(username)}${query}`,
      );
      io.out(username);
      if (removed.tokens.length > 0) {
        const tokens = removed.tokens.join(', ');
        io.out(
          removed.tokens_revoked
            ? `revoked the tokens ${username} created: ${tokens}`
            : `tokens ${username} created still work: ${tokens} (tokens rm <name>, or users rm --revoke-tokens)`,
        );
      }
    });
  users
    .command('passwd <username>')
    .description("set another user's password, read from standard input; their sessions end")
    .action(async (username: string) => {
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      await (await api()).request('PATCH', `/api/v1/users/${encodeURIComponent(username)}`, { password });
      io.out(username);
    });
  users.command('role <username> <role>').action(async (username: string, role: string) => {
    await (await api()).request('PATCH', `/api/v1/users/${encodeURIComponent(username)}`, { role });
    io.out(`${username} ${role}`);
  });

  const tokens = program.command('tokens').description('API tokens (admins only)');
  tokens.command('list').action(async () => print((await (await api()).request('GET', '/api/v1/tokens')).tokens));
  tokens
    .command('add <name>')
    .description('create a token; it is printed once')
    .requiredOption('--role <role>', 'admin, editor or viewer')
    .option('--expires-in-days <days>', 'the token stops working after so many days (default: never)')
    .action(async (name: string, options: { role: string; expiresInDays?: string }) => {
      const days = options.expiresInDays;
      const { token } = await (await api()).request<{ token: string }>('POST', '/api/v1/tokens', {
        name,
        role: options.role,
        // As typed: the API names a value that is not a whole number of days.
        ...(days === undefined ? {} : { expires_in_days: /^\d+$/.test(days) ? Number(days) : days }),
      });
      io.out(token);
    });
  tokens.command('rm <name>').action(async (name: string) => {
    await (await api()).request('DELETE', `/api/v1/tokens/${encodeURIComponent(name)}`);
    io.out(name);
  });

  program
    .command('export')
    .description('every job of --api as JSON ({"jobs": [...]}, paused ones without next_run_time)')
    .action(async () => {
      const all = await (await api()).allJobs<TransferJob>();
      // Jobs in a chain keep their ids, for an import to link them again, and say whether they are paused.
      const upstreams = new Set(all.flatMap((job) => (job.after ? [job.after.job_id] : [])));
      print({
        jobs: all.map((job) => ({
          ...(job.after || upstreams.has(job.job_id ?? '') ? { job_id: job.job_id } : {}),
          ...jobBody(job),
          next_run_time: job.next_run_time ?? '',
          ...(typeof job.paused === 'boolean' ? { paused: job.paused } : {}),
        })),
      });
    });

  program
    .command('import')
    .description('copy jobs into --api from another ndscheduler or Tickwork, an export file, or a crontab')
    .option('--from <url>', 'the source API base URL')
    .addOption(new Option('--from-token <token>', 'API token for the source').env('TICKWORK_FROM_TOKEN'))
    .option('--file <path>', 'a file written by `tickwork export`')
    .option('--crontab <path>', 'a crontab: one ShellJob per command line (`/bin/sh -c` with its variables)')
    .option('--system', 'the crontab has a user column (/etc/crontab, /etc/cron.d/*)')
    .option('--timezone <zone>', "the zone the crontab is read in (default: CRON_TZ in it, else this machine's)")
    .option('--dry-run', 'print the plan, change nothing')
    .action(async (options: ImportOptions) => {
      const sources = [options.from, options.file, options.crontab].filter((s) => s !== undefined);
      if (sources.length !== 1)
        throw new Error('import needs exactly one of --from URL, --file PATH or --crontab PATH');
      const source: TransferJob[] = options.crontab
        ? await crontabSource(options.crontab, options)
        : options.file
          ? (JSON.parse(await readFile(options.file, 'utf8')) as { jobs: TransferJob[] }).jobs
          : await new ApiClient(options.from as string, { token: options.fromToken }).allJobs<TransferJob>();
      const target = await api();
      const plan = planImport(source, await target.allJobs<TransferJob>());
      // Source job id → target job id, for the `after` of the jobs that wait for them.
      const ids = new Map<string, string>();
      for (const step of plan) if (step.action !== 'create' && step.job.job_id) ids.set(step.job.job_id, step.targetId);
      for (const step of plan) {
        io.out(`${options.dryRun ? 'would ' : ''}${describeStep(step)}`);
        if (options.dryRun || step.action === 'unchanged') continue;
        let id: string;
        const body = jobBody(withAfterMapped(step.job, ids));
        if (step.action === 'create') {
          id = (await target.request<{ job_id: string }>('POST', '/api/v1/jobs', body)).job_id;
          if (step.job.job_id) ids.set(step.job.job_id, id);
        } else {
          id = step.targetId;
          await target.request('PUT', `/api/v1/jobs/${id}`, body);
        }
        if (step.paused) await target.request('PATCH', `/api/v1/jobs/${id}`);
        else if (step.action === 'update' && step.changes.includes('resumed')) {
          await target.request('OPTIONS', `/api/v1/jobs/${id}`);
        }
      }
      const counts = ['create', 'update', 'unchanged'].map((a) => `${plan.filter((s) => s.action === a).length} ${a}`);
      io.out(`${options.dryRun ? 'plan' : 'done'}: ${counts.join(', ')}`);
    });

  /** A crontab's jobs, after saying what is left out; refused whole if cron would refuse a line. */
  async function crontabSource(path: string, options: ImportOptions): Promise<TransferJob[]> {
    const file = parseCrontab(await readFile(path, 'utf8'), { system: options.system === true });
    for (const error of file.errors) io.out(`${path}:${error.line}: ${error.reason}`);
    if (file.errors.length > 0) {
      throw new Error(`${path}: ${file.errors.length} line(s) cron would refuse; nothing imported`);
    }
    for (const skip of file.skipped) io.out(`skip ${path}:${skip.line}: ${skip.reason}`);
    const timezone = options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (file.entries.some((entry) => entry.user !== null)) {
      io.out("note: the user column is kept in each job's description; runs are the worker's user (JOB_RUN_AS)");
    }
    if (file.entries.some((entry) => entry.environment.some(([name]) => name === 'MAILTO'))) {
      io.out('note: MAILTO is exported but nothing is mailed; see the notify_* job fields');
    }
    return crontabJobs(file, { timezone, source: basename(path) });
  }

  return program;
}

interface ImportOptions {
  from?: string;
  fromToken?: string;
  file?: string;
  crontab?: string;
  system?: boolean;
  timezone?: string;
  dryRun?: boolean;
}

import { bucketOf, dayOf } from '@tickwork/domain';
import { Store } from '@tickwork/store';
import { spawnApi, waitFor } from '@tickwork/testing';
import { type BenchStack, say } from '../bench-stack.js';
import { type HttpLoadResult, httpLoad } from '../http-load.js';
import { withScope } from '../scope.js';
import { benchJob, seedAuditEntries, seedExecutions, seedJobs } from '../seed.js';
import { NOOP_JOB } from './run-now-load.js';

/** A list answered again and again, one request at a time: its latency and what it answered. */
export type ListLoadResult = HttpLoadResult & { items_per_answer: number; truncated: boolean };

export interface ApiLoadResult {
  jobs: number;
  /** Executions stored in all, of which `executions_last_hour` came due in the last hour. */
  executions: number;
  executions_last_hour: number;
  audit_last_day: number;
  duration_sec: number;
  list_requests: number;
  get_job: HttpLoadResult;
  post_job: HttpLoadResult;
  list_jobs: ListLoadResult;
  list_executions_last_hour: ListLoadResult;
  list_logs_last_day: ListLoadResult;
  /** An hour a month ago: outside every API process's window, so read from the store. */
  list_executions_old_hour: ListLoadResult;
  /** How long the API took to load its execution window, job catalog and last day of audit log after it started. */
  window_load_sec: number;
  /** What the MongoDB-wire server says it does for each call's query (its explain output). */
  explain: Record<string, unknown>;
}

const NEVER = { month: '1', day: '1', hour: '0', minute: '0', second: '0' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * autocannon on the calls clients make most, with 10,000 jobs and a month of history (1,000,000 executions;
 * 10,000 of them in the last hour) seeded straight into the store: GET one job and POST for a fixed time on
 * 10 connections; the lists one request at a time, for their latency.
 */
export async function apiLoad(
  stack: BenchStack,
  sizes: {
    jobs: number;
    executions: number;
    lastHour: number;
    audit: number;
    durationSec: number;
    listRequests: number;
  },
): Promise<ApiLoadResult> {
  return withScope(async (scope) => {
    const environment = stack.environment(scope, { LOG_LEVEL: 'info' });
    const store = await Store.open(environment.env.MONGODB_URL as string);
    scope.teardown(() => store.close());
    const now = Date.now();
    const jobs = await seedJobs(store, sizes.jobs, NOOP_JOB, NEVER);
    const history = benchJob('history', NOOP_JOB, NEVER);
    await seedExecutions(
      store,
      history,
      sizes.executions - sizes.lastHour,
      new Date(now - 30 * DAY),
      new Date(now - HOUR),
    );
    await seedExecutions(
      store,
      benchJob('last hour', NOOP_JOB, NEVER),
      sizes.lastHour,
      new Date(now - HOUR),
      new Date(now),
    );
    await seedAuditEntries(store, sizes.audit, now - DAY, now);
    say(
      `seeded ${sizes.jobs} jobs, ${sizes.executions} executions (${sizes.lastHour} in the last hour), ${sizes.audit} audit entries`,
    );
    const started = Date.now();
    const api = await spawnApi(scope, environment, {}, { readyTimeoutMs: 300_000 });
    await waitFor(
      'the API to load its execution window, job catalog and the last day of the audit log',
      () =>
        api.output.some((l) => l.includes('execution window loaded')) &&
        api.output.some((l) => l.includes('job catalog loaded')) &&
        api.output.some((l) => l.includes('audit log of the last day loaded')),
      600_000,
    );
    const windowLoadSec = Math.round((Date.now() - started) / 100) / 10;
    say(`API ready and its window loaded in ${windowLoadSec} s`);
    const one = jobs[0]?.job_id as string;
    const range = (from: number, to: number) =>
      `time_range_start=${new Date(from).toISOString()}&time_range_end=${new Date(to).toISOString()}`;
    const list = async (path: string, key: string): Promise<ListLoadResult> => {
      const load = await httpLoad({ url: api.base + path, connections: 1, requests: sizes.listRequests });
      const body = (await (await fetch(api.base + path)).json()) as Record<string, unknown>;
      return { ...load, items_per_answer: (body[key] as unknown[]).length, truncated: body.truncated === true };
    };
    const durationSec = sizes.durationSec;
    const getJob = await httpLoad({ url: `${api.base}/api/v1/jobs/${one}`, connections: 10, durationSec });
    say(`GET one job: ${getJob.requests_per_sec} req/s`);
    const listJobs = await list('/api/v1/jobs', 'jobs');
    say(`GET all jobs: p99 ${listJobs.latency_p99_ms} ms`);
    const hourAgo = Date.now() - HOUR;
    const listExecutions = await list(`/api/v1/executions?${range(hourAgo, Date.now())}`, 'executions');
    say(`GET executions of the last hour: p99 ${listExecutions.latency_p99_ms} ms`);
    const listLogs = await list(`/api/v1/logs?${range(Date.now() - DAY, Date.now())}`, 'logs');
    say(`GET logs of the last day: p99 ${listLogs.latency_p99_ms} ms`);
    const oldHour = now - 20 * DAY;
    const listOld = await list(`/api/v1/executions?${range(oldHour, oldHour + HOUR)}`, 'executions');
    say(`GET executions of an hour 20 days ago (from the store): p99 ${listOld.latency_p99_ms} ms`);
    // Last: every POST adds a job (and its scheduler), which would change what the lists above answer.
    const postJob = await httpLoad({
      url: `${api.base}/api/v1/jobs`,
      method: 'POST',
      body: { name: 'posted', job_class_string: NOOP_JOB, ...NEVER },
      connections: 10,
      durationSec,
    });
    say(`POST a job: ${postJob.requests_per_sec} req/s`);
    return {
      jobs: sizes.jobs,
      executions: sizes.executions,
      executions_last_hour: sizes.lastHour,
      audit_last_day: sizes.audit,
      duration_sec: durationSec,
      list_requests: sizes.listRequests,
      get_job: getJob,
      post_job: postJob,
      list_jobs: listJobs,
      list_executions_last_hour: listExecutions,
      list_logs_last_day: listLogs,
      list_executions_old_hour: listOld,
      window_load_sec: windowLoadSec,
      explain: await explainPlans(store, one, hourAgo),
    };
  });
}

/** The store queries behind the calls, as the repositories send them, explained by the server. */
async function explainPlans(store: Store, jobId: string, at: number): Promise<Record<string, unknown>> {
  const db = store.connection.db;
  if (!db) throw new Error('no database');
  const explain = (command: Record<string, unknown>) => db.command({ explain: command, verbosity: 'queryPlanner' });
  return {
    get_job: await explain({ find: 'jobs', filter: { _id: jobId }, limit: 1 }),
    executions_of_a_bucket: await explain({
      find: 'execution_ledger',
      filter: { bucket: bucketOf(at) },
      projection: { output: 0 },
    }),
    executions_of_a_day: await explain({
      find: 'execution_ledger',
      filter: { day: dayOf(at) },
      projection: { output: 0 },
    }),
    logs_of_a_bucket: await explain({ find: 'audit_logs', filter: { bucket: bucketOf(at) } }),
  };
}

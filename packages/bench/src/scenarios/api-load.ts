import { Store } from '@tickwork/store';
import { spawnApi } from '@tickwork/testing';
import { type BenchStack, say } from '../bench-stack.js';
import { type HttpLoadResult, httpLoad } from '../http-load.js';
import { withScope } from '../scope.js';
import { benchJob, seedExecutions, seedJobs } from '../seed.js';
import { NOOP_JOB } from './run-now-load.js';

export interface ApiLoadResult {
  jobs: number;
  executions: number;
  duration_sec: number;
  list_requests: number;
  get_job: HttpLoadResult;
  post_job: HttpLoadResult;
  list_jobs: HttpLoadResult & { items_per_answer: number; truncated: boolean };
  list_executions: HttpLoadResult & { items_per_answer: number; truncated: boolean };
  /** What the MongoDB-wire server says it does for each list's query (its explain output). */
  explain: Record<string, unknown>;
}

const NEVER = { month: '1', day: '1', hour: '0', minute: '0', second: '0' };

/**
 * autocannon on the four calls clients make most, with 10,000 jobs and 100,000 executions in one time range
 * (seeded straight into MongoDB). Lists answer their default page (10,000 at most) with `truncated`.
 */
export async function apiLoad(
  stack: BenchStack,
  sizes: { jobs: number; executions: number; durationSec: number; listRequests: number },
): Promise<ApiLoadResult> {
  return withScope(async (scope) => {
    const environment = stack.environment(scope, { LOG_LEVEL: 'warn' });
    const store = await Store.open(environment.env.MONGODB_URL as string);
    scope.teardown(() => store.close());
    const jobs = await seedJobs(store, sizes.jobs, NOOP_JOB, NEVER);
    const rangeStart = new Date(Date.UTC(2026, 0, 1));
    const rangeEnd = new Date(Date.UTC(2026, 0, 2));
    await seedExecutions(store, benchJob('history', NOOP_JOB, NEVER), sizes.executions, rangeStart, rangeEnd);
    say(`seeded ${sizes.jobs} jobs and ${sizes.executions} executions`);
    const api = await spawnApi(scope, environment, {}, { readyTimeoutMs: 120_000 });
    const one = jobs[0]?.job_id as string;
    const range = `time_range_start=${rangeStart.toISOString()}&time_range_end=${rangeEnd.toISOString()}`;
    const listed = async (path: string, key: string) => {
      const body = (await (await fetch(api.base + path)).json()) as Record<string, unknown>;
      return { items_per_answer: (body[key] as unknown[]).length, truncated: body.truncated === true };
    };
    const durationSec = sizes.durationSec;
    const getJob = await httpLoad({ url: `${api.base}/api/v1/jobs/${one}`, connections: 10, durationSec });
    say(`GET one job: ${getJob.requests_per_sec} req/s`);
    // Lists are slow enough on a MongoDB-wire server without range and sort pushdown (FerretDB) that a
    // fixed number of requests, one at a time, measures them without piling requests up behind each other.
    const listRequests = sizes.listRequests;
    const listJobs = {
      ...(await httpLoad({ url: `${api.base}/api/v1/jobs`, connections: 1, requests: listRequests })),
      ...(await listed('/api/v1/jobs', 'jobs')),
    };
    say(`GET all jobs: ${listJobs.requests_per_sec} req/s`);
    const listExecutions = {
      ...(await httpLoad({ url: `${api.base}/api/v1/executions?${range}`, connections: 1, requests: listRequests })),
      ...(await listed(`/api/v1/executions?${range}`, 'executions')),
    };
    say(`GET executions in a range: ${listExecutions.requests_per_sec} req/s`);
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
      duration_sec: durationSec,
      list_requests: listRequests,
      get_job: getJob,
      post_job: postJob,
      list_jobs: listJobs,
      list_executions: listExecutions,
      explain: await explainPlans(store, one, rangeStart, rangeEnd),
    };
  });
}

/** The queries behind the three calls, as the store's repositories send them, explained by the server. */
async function explainPlans(store: Store, jobId: string, start: Date, end: Date): Promise<Record<string, unknown>> {
  const db = store.connection.db;
  if (!db) throw new Error('no database');
  const explain = (command: Record<string, unknown>) => db.command({ explain: command, verbosity: 'queryPlanner' });
  return {
    get_job: await explain({ find: 'jobs', filter: { _id: jobId }, limit: 1 }),
    list_jobs: await explain({ find: 'jobs', filter: {}, sort: { created_time: 1, _id: 1 }, limit: 10_001 }),
    list_executions: await explain({
      find: 'executions',
      filter: { scheduled_time: { $gte: start, $lte: end } },
      projection: { output: 0 },
      sort: { updated_time: -1, _id: 1 },
      limit: 10_001,
    }),
  };
}

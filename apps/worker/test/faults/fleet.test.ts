// Once per fire time across a fleet: 2 API processes and 3 worker processes, 100 jobs firing every 5 s
// for at least 10 fire times. Every (job, fire) must have exactly one record, none missing, none running.
import { spawnApi, spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

const JOBS = 100;
const STEP_MS = 5000;
const FIRES = 10;
// Ten fires 5 s apart after 2 APIs and 3 workers start: 80 s on a quiet machine, near the suite's 120 s on a busy one.
t.setTimeout(300_000);

// Default-sized leases: the point here is exactness, not how fast a dead worker is noticed (that is
// execution-reaper.test.ts). JOB_COALESCE=false: with coalescing (the default) a fire picked up more than a
// step late takes the fires due meanwhile with it, by design, and a loaded machine (CI runs other test
// files beside this one) makes such pickups; without it each of those fires is recorded and run, so every
// fire time must show up exactly once however late the machine is.
const environment = testEnvironment(t, {
  EXECUTION_LEASE_SEC: '30',
  WORKER_HEARTBEAT_SEC: '5',
  JOB_COALESCE: 'false',
});
const apis = await Promise.all([spawnApi(t, environment), spawnApi(t, environment)]);
await Promise.all([1, 2, 3].map(() => spawnWorker(t, environment)));

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Execution {
  state: string;
  scheduled_time: string;
  job: { job_id: string };
}

async function allExecutions(since: number): Promise<Execution[]> {
  const range = `time_range_start=${new Date(since - 60_000).toISOString()}&time_range_end=${new Date(Date.now() + 60_000).toISOString()}`;
  return (await call(apis[0]?.base as string, 'GET', `/api/v1/executions?${range}`)).body.executions as Execution[];
}

t.test(`${JOBS} jobs × ≥${FIRES} fires on 2 APIs and 3 workers: exactly once each`, async (t) => {
  const started = Date.now();
  const jobIds: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const api = apis[i % 2]?.base as string;
    const res = await call(api, 'POST', '/api/v1/jobs', {
      name: `fleet ${i}`,
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      pub_args: [i, 'x'],
      // Every 5 s, spread over the 5 seconds (20 jobs a second): BullMQ computes a scheduler's next fire when
      // its current one is picked up, so a pickup more than a step late would coalesce a fire.
      second: `${i % 5}/5`,
    });
    t.equal(res.status, 201);
    jobIds.push(res.body.job_id as string);
  }

  await waitFor(
    `every job to have ${FIRES} succeeded fires`,
    async () => {
      const perJob = new Map<string, number>();
      for (const e of await allExecutions(started)) {
        if (e.state === 'succeeded') perJob.set(e.job.job_id, (perJob.get(e.job.job_id) ?? 0) + 1);
      }
      return jobIds.every((id) => (perJob.get(id) ?? 0) >= FIRES);
    },
    110_000,
    1000,
  );
  for (const [i, id] of jobIds.entries()) await call(apis[i % 2]?.base as string, 'PATCH', `/api/v1/jobs/${id}`);

  const executions = await waitFor('no run left in flight', async () => {
    const list = await allExecutions(started);
    return list.every((e) => e.state !== 'running' && e.state !== 'scheduled') ? list : undefined;
  });

  let duplicates = 0;
  let missing = 0;
  let notSucceeded = 0;
  for (const id of jobIds) {
    const times = executions
      .filter((e) => e.job.job_id === id)
      .map((e) => Date.parse(e.scheduled_time))
      .sort((a, b) => a - b);
    duplicates += times.length - new Set(times).size;
    const first = times[0] as number;
    const last = times[times.length - 1] as number;
    missing += Math.round((last - first) / STEP_MS) + 1 - new Set(times).size;
  }
  const byState: Record<string, number> = {};
  for (const e of executions) {
    byState[e.state] = (byState[e.state] ?? 0) + 1;
    if (e.state !== 'succeeded') notSucceeded++;
  }
  t.comment(`executions by state: ${JSON.stringify(byState)}; missing fires: ${missing}`);
  // How late fires were picked up: a pickup more than a step late coalesces (see the README's "Not promised").
  const metrics = await (await fetch(`${apis[0]?.base}/metrics`)).text();
  const lateness = metrics.split('\n').filter((line) => line.startsWith('tickwork_fire_lateness_seconds_bucket'));
  t.comment(
    `fire lateness (cumulative buckets): ${lateness.map((l) => l.replace(/.*le="([^"]+)".*\} /, '$1:')).join(' ')}`,
  );
  const odd = executions.find((e) => e.state !== 'succeeded');
  if (odd) t.comment(`for example: ${JSON.stringify(odd)}`);
  t.equal(duplicates, 0, 'no (job, fire) recorded twice');
  t.equal(missing, 0, 'no fire missing between the first and the last of each job');
  t.equal(notSucceeded, 0, 'every run succeeded; none left running');
  t.ok(executions.length >= JOBS * FIRES, `${executions.length} executions recorded`);
});

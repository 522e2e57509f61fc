// kill -9 of a worker mid-run: its execution must not stay `running`. Leases are short here so the test
// runs in seconds; the defaults (30 s lease, 10 s reaper) bound it at 40 s.
import { execFileSync } from 'node:child_process';
import { ExecutionEvent, ExecutionState, jobSummary, newId, recordedEntry, stepEntry } from '@tickwork/domain';
import { createRedis, enqueueRecordedRun, QUEUE_NAME, recordedRunIdFor } from '@tickwork/queue';
import { leaseDocument } from '@tickwork/store';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import { Worker } from 'bullmq';
import t from 'tap';

const environment = testEnvironment(t, {
  EXECUTION_LEASE_SEC: '2',
  WORKER_HEARTBEAT_SEC: '1',
  REAPER_INTERVAL_SEC: '1',
});
const api = await startApi(t, environment);
t.teardown(() => {
  try {
    execFileSync('pkill', ['-f', 'sleep 43.5']);
  } catch {
    // already gone
  }
});

t.test('a live worker keeps its long run: leases are renewed past their first expiry', async (t) => {
  const worker = await spawnWorker(t, environment);
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'longer than a lease',
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['sleep', '5'],
      hour: '0',
    })
  ).body;
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${job_id}`)).body;
  const done = await waitFor('the run to end', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
    return ['succeeded', 'failed'].includes(body.state) ? body : undefined;
  });
  t.match(done, { state: 'succeeded', pid: worker.pid }, 'not reaped while its worker lived');
});

t.test('a killed worker: its run is failed naming host and pid, and it leaves the workers list', async (t) => {
  const worker = await spawnWorker(t, environment);
  const listed = await waitFor('the worker in /api/v1/workers', async () => {
    const { body } = await api.request('GET', '/api/v1/workers');
    return body.workers.find((w: { pid: number }) => w.pid === worker.pid);
  });
  t.match(listed, {
    hostname: /.+/,
    pid: worker.pid,
    started: /^\d{4}-/,
    concurrency: 10,
    running: 0,
    last_heartbeat: /^\d{4}-/,
    job_classes: [{ job_class_string: /^simple_scheduler\./ }],
  });

  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'long',
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['sleep', '43.5'],
      hour: '0',
    })
  ).body;
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${job_id}`)).body;
  await waitFor('the run to be running on that worker', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
    return body.state === 'running' && body.pid === worker.pid;
  });
  await waitFor('the worker to report one run', async () => {
    const { body } = await api.request('GET', '/api/v1/workers');
    return body.workers.some((w: { pid: number; running: number }) => w.pid === worker.pid && w.running === 1);
  });

  worker.child.kill('SIGKILL');
  const failed = await waitFor(
    'the run to be failed',
    async () => {
      const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
      return body.state === 'failed' ? body : undefined;
    },
    60_000,
  );
  t.match(failed.description, new RegExp(`^lost worker \\S+ pid ${worker.pid}: no heartbeat since `));
  await waitFor(
    'the dead worker to leave the list',
    async () =>
      !(await api.request('GET', '/api/v1/workers')).body.workers.some((w: { pid: number }) => w.pid === worker.pid),
    60_000,
  );

  // The killed worker's attempt can no longer write: a late "succeeded" from it is refused.
  const late = stepEntry(
    { execution_id, scheduled_time: Date.parse(failed.scheduled_time), attempt: 1, state: ExecutionState.running },
    ExecutionEvent.ended,
    ExecutionState.succeeded,
    {},
    Date.now(),
    newId(),
  );
  t.equal(await api.app.store.ledger.append(late), 'duplicate', 'a late write is fenced off');
  t.equal((await api.request('GET', `/api/v1/executions/${execution_id}`)).body.state, 'failed');
});

t.test('a run whose lease ran out is left alone while a live worker still lists it as its own', async (t) => {
  // As through a MongoDB outage: the worker could not renew the lease, but it is alive (Redis) and holds
  // the run, waiting to write its end. Recorded here directly, with no worker process, to leave no race.
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', { name: 'vouched', job_class_string: 'a.B', hour: '0' })
  ).body;
  const job = jobSummary(
    (await api.app.store.jobs.get(job_id)) as NonNullable<Awaited<ReturnType<typeof api.app.store.jobs.get>>>,
  );
  const executionId = 'c'.repeat(32);
  const holder = { holder: 'w-vouching', hostname: 'elsewhere', pid: 4242, task_id: '' };
  const longAgo = Date.now() - 60_000;
  await api.app.store.ledger.append(
    recordedEntry(
      { execution_id: executionId, job, scheduled_time: longAgo, state: ExecutionState.running, holder },
      longAgo,
      newId(),
    ),
  );
  await api.app.store.ledger.writeLease(leaseDocument('w-vouching', 1, [executionId], longAgo));
  const entry = {
    worker_id: 'w-vouching',
    hostname: 'elsewhere',
    pid: 4242,
    started: new Date().toISOString(),
    concurrency: 1,
    tags: [],
    running: 0,
    executions: [executionId],
    job_classes: [],
    last_heartbeat: new Date().toISOString(),
  };
  await api.app.workerRegistry.publish(entry, 60_000);
  t.equal(await api.app.reapExpiredRuns(), 0, 'not reaped while vouched for');
  t.equal((await api.app.ledger.get(executionId))?.state, 'running');

  await api.app.workerRegistry.remove(entry.worker_id);
  await waitFor('the reaper to close it out', async () => (await api.app.ledger.get(executionId))?.state === 'failed');
  t.match((await api.app.ledger.get(executionId))?.description, /^lost worker elsewhere pid 4242: no heartbeat since /);
});

t.test('a run-now whose queue entry failed (a worker gave up on it) is run again by the sweep', async (t) => {
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'given up',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      hour: '0',
    })
  ).body;
  const job = jobSummary(
    (await api.app.store.jobs.get(job_id)) as NonNullable<Awaited<ReturnType<typeof api.app.store.jobs.get>>>,
  );
  const executionId = 'd'.repeat(32);
  const due = Date.now() - 60_000;
  await api.app.store.ledger.append(
    recordedEntry(
      { execution_id: executionId, job, scheduled_time: due, state: ExecutionState.scheduled, run_after: due },
      due,
      newId(),
    ),
  );
  // Its queue entry ends in BullMQ's failed set, as when a worker shutting down during an outage gives up.
  const connection = createRedis(environment.config.redisUrl);
  const failing = new Worker(
    QUEUE_NAME,
    async () => {
      throw new Error('gave up');
    },
    { connection, prefix: environment.config.queuePrefix },
  );
  await enqueueRecordedRun(api.app.runQueues, {
    job_id,
    execution_id: executionId,
    attempt: 1,
    scheduled_time: due,
    job,
  });
  await waitFor('the entry to fail', async () =>
    (await api.app.runQueue.getJob(recordedRunIdFor(executionId, 1)))?.isFailed(),
  );
  await failing.close();
  connection.disconnect();

  await spawnWorker(t, environment);
  await api.app.reapExpiredRuns();
  const ran = await waitFor('the run to end', async () => {
    const record = await api.app.ledger.get(executionId);
    return record && record.state !== 'scheduled' && record.state !== 'running' ? record : undefined;
  });
  t.equal(ran.state, 'succeeded', 'run again, not left scheduled');
});

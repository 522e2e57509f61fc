// The scheduler mirror heals from MongoDB: a flushed Redis, a missing scheduler, a stale pattern or an
// orphan scheduler are all put right by a reconcile pass, without restarting anything.
import { BACKFILL_RUN, SCHEDULED_RUN, schedulerIdFor } from '@tickwork/queue';
import { testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
const queue = api.app.runQueue;

async function schedulerIds(): Promise<string[]> {
  return (await queue.getJobSchedulers(0, -1)).map((s) => s.key).sort();
}

t.test('reconcile restores lost schedulers and removes orphans; paused jobs get none', async (t) => {
  const ids: string[] = [];
  for (const minute of ['1', '2', '3']) {
    const res = await api.request('POST', '/api/v1/jobs', { name: minute, job_class_string: 'a.B', minute });
    ids.push(res.body.job_id);
  }
  await api.request('PATCH', `/api/v1/jobs/${ids[2]}`);
  const expected = [schedulerIdFor(ids[0] as string), schedulerIdFor(ids[1] as string)].sort();
  t.same(await schedulerIds(), expected);

  // Lose one scheduler, corrupt another, add an orphan.
  await queue.removeJobScheduler(schedulerIdFor(ids[0] as string));
  await queue.upsertJobScheduler(
    schedulerIdFor(ids[1] as string),
    {
      pattern: JSON.stringify({
        month: '*',
        day: '*',
        week: '*',
        day_of_week: '*',
        hour: '*',
        minute: '59',
        second: '0',
      }),
      tz: 'UTC',
    },
    { name: SCHEDULED_RUN, data: { job_id: ids[1] } },
  );
  await queue.upsertJobScheduler(
    schedulerIdFor('f'.repeat(32)),
    {
      pattern: JSON.stringify({
        month: '*',
        day: '*',
        week: '*',
        day_of_week: '*',
        hour: '*',
        minute: '5',
        second: '0',
      }),
      tz: 'UTC',
    },
    { name: SCHEDULED_RUN, data: { job_id: 'f'.repeat(32) } },
  );

  await api.app.reconcileSchedulers();
  t.same(await schedulerIds(), expected);
  const repaired = await queue.getJobScheduler(schedulerIdFor(ids[1] as string));
  t.equal(new Date(repaired?.next as number).getUTCMinutes(), 2, 'the stale pattern was replaced');
});

t.test('after FLUSHALL-like loss of every key, one pass brings every active job back', async (t) => {
  const ticking = (await api.request('POST', '/api/v1/jobs', { name: 'tick', job_class_string: 'a.B', second: '*' }))
    .body.job_id;
  const before = await schedulerIds();
  const keys = await api.app.redis.keys(`${environment.config.queuePrefix}:*`);
  if (keys.length) await api.app.redis.del(...keys);
  const lostAt = Date.now();
  t.same(await schedulerIds(), []);
  // Only fires after the job's creation are its own: let one come due while Redis is lost.
  const firstFire = Math.ceil(lostAt / 1000) * 1000;
  await waitFor('a fire of the job to come due while Redis is lost', () => Date.now() > firstFire);
  // The periodic pass, not the loss check, comes first here: it sees the loss itself (found by the soak).
  await api.app.reconcileSchedulers();
  t.same(await schedulerIds(), before);
  const backfills = async () =>
    (await queue.getJobs(['waiting', 'delayed'])).filter((j) => j.name === BACKFILL_RUN && j.data.job_id === ticking);
  const queued = await backfills();
  t.equal(queued.length, 1, "the every-second job's latest fire that Redis may have lost is queued (coalesced)");
  t.ok((queued[0]?.data.fire_ms as number) >= firstFire, 'a fire of the loss, not one from before the job existed');
  await api.app.reconcileSchedulers();
  t.equal((await backfills()).length, 1, 'a pass over a whole mirror queues nothing more');
  await api.request('DELETE', `/api/v1/jobs/${ticking}`);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await api.app.reconcileSchedulers();
});

t.test('a second process holding the reconcile lock makes this pass stand aside', async (t) => {
  const lockKey = `${environment.config.queuePrefix}:reconcile-lock`;
  await api.app.redis.set(lockKey, 'another-api', 'PX', 10_000);
  const report = await api.app.schedulerMirror.reconcile([]);
  t.equal(report, null, 'did nothing');
  t.not((await schedulerIds()).length, 0, 'and removed nothing');
  await api.app.redis.del(lockKey);
});

t.test('a reconcile that misreads the scheduler list never replaces a fire waiting in the queue', async (t) => {
  // No worker here: a due fire waits in the queue. A pass reads the list a page at a time while fires move
  // schedulers around in it, so a scheduler can look missing; upserting it would drop its waiting fire.
  const res = await api.request('POST', '/api/v1/jobs', { name: 'every second', job_class_string: 'a.B', second: '*' });
  const schedulerId = schedulerIdFor(res.body.job_id);
  const waiting = await waitFor('a fire waiting in the queue', async () =>
    // Without a worker nothing promotes it: it stays delayed, past its time, as a fire waiting for pickup.
    (await queue.getJobs(['waiting', 'delayed'])).find(
      (job) => job.repeatJobKey === schedulerId && Number(String(job.id).split(':').pop()) <= Date.now(),
    ),
  );
  const mirror = api.app.schedulerMirror as unknown as { existingSchedulers: () => Promise<Map<string, unknown>> };
  const readList = mirror.existingSchedulers;
  mirror.existingSchedulers = async () => new Map();
  t.teardown(() => {
    mirror.existingSchedulers = readList;
  });
  const job = await api.app.store.jobs.get(res.body.job_id);
  if (!job) throw new Error('the job was not stored');
  const report = await api.app.schedulerMirror.reconcile([job]);
  t.match(report, { upserted: 0, unchanged: 1 }, 'checked again, and left alone');
  t.ok(await queue.getJob(waiting.id as string), 'the waiting fire is still queued');
});

t.test('a tagged job has its scheduler in its tag set queue only; reconcile moves one found elsewhere', async (t) => {
  const res = await api.request('POST', '/api/v1/jobs', {
    name: 'tagged',
    job_class_string: 'a.B',
    minute: '7',
    worker_tags: ['eu', 'backup'],
  });
  const id = schedulerIdFor(res.body.job_id);
  const tagged = api.app.runQueues.of(['backup', 'eu']);
  t.equal(tagged.name, 'runs@backup,eu');
  t.ok(await tagged.getJobScheduler(id), 'in its tag set queue');
  t.notOk(await queue.getJobScheduler(id), 'not in the base queue');
  t.same(await api.app.runQueues.tagSets(), [['backup', 'eu']], 'its tag set is noted for workers to find');

  // In the wrong queue (the base one), and an orphan in the tag set queue.
  await queue.upsertJobScheduler(id, { pattern: JSON.stringify({ minute: '7' }), tz: 'UTC' }, { name: SCHEDULED_RUN });
  await tagged.removeJobScheduler(id);
  const orphan = schedulerIdFor('e'.repeat(32));
  await tagged.upsertJobScheduler(
    orphan,
    { pattern: JSON.stringify({ minute: '8' }), tz: 'UTC' },
    { name: SCHEDULED_RUN },
  );
  await api.app.reconcileSchedulers();
  t.ok(await tagged.getJobScheduler(id), 'back in its tag set queue');
  t.notOk(await queue.getJobScheduler(id), 'gone from the wrong queue');
  t.notOk(await tagged.getJobScheduler(orphan), 'the orphan is removed');

  // PUT without tags moves it to the base queue at once.
  await api.request('PUT', `/api/v1/jobs/${res.body.job_id}`, { worker_tags: [] });
  t.ok(await queue.getJobScheduler(id), 'in the base queue after PUT');
  t.notOk(await tagged.getJobScheduler(id), 'and no longer in the tag set queue');
  await api.request('PUT', `/api/v1/jobs/${res.body.job_id}`, { worker_tags: ['backup', 'eu'] });

  // Redis loses everything: the tag set is noted again and the scheduler comes back in its queue.
  const keys = await api.app.redis.keys(`${environment.config.queuePrefix}:*`);
  if (keys.length) await api.app.redis.del(...keys);
  await api.app.reconcileSchedulers();
  t.same(await api.app.runQueues.tagSets(), [['backup', 'eu']]);
  t.ok(await tagged.getJobScheduler(id));
});

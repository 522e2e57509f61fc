import { testEnvironment } from '@tickwork/testing';
import { Redis } from 'ioredis';
import t from 'tap';
import { LATENESS_BUCKETS, RunMetrics } from '../src/run-metrics.js';

const environment = testEnvironment(t);
const redis = new Redis(environment.config.redisUrl);
t.teardown(() => redis.disconnect());

t.test('figures from several workers add up in one snapshot', async (t) => {
  const [a, b] = [
    new RunMetrics(redis, environment.config.queuePrefix),
    new RunMetrics(redis, environment.config.queuePrefix),
  ];
  await a.recordEnd('x.A', 'succeeded', { durationMs: 2000, latenessMs: 300 });
  await b.recordEnd('x.A', 'succeeded', { durationMs: 40, latenessMs: 12_000 });
  await b.recordEnd('x.B', 'scheduled error');

  const snapshot = await a.snapshot();
  t.same(
    snapshot.executions.sort((p, q) => p.job_class.localeCompare(q.job_class)),
    [
      { state: 'succeeded', job_class: 'x.A', count: 2 },
      { state: 'scheduled error', job_class: 'x.B', count: 1 },
    ],
  );
  t.equal(snapshot.lateness.count, 2);
  t.equal(snapshot.lateness.sum, 12.3);
  const le = (bound: number) => snapshot.lateness.buckets[LATENESS_BUCKETS.indexOf(bound)];
  t.same([le(0.25), le(0.5), le(10), le(30)], [0, 1, 1, 2], 'cumulative buckets');
  t.equal(snapshot.lateness.buckets.at(-1), 2, '+Inf holds all');
  t.equal(snapshot.duration.count, 2, 'a run that never ran has no duration');
});

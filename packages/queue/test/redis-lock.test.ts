import { createRedis, withRedisLock } from '@tickwork/queue';
import { testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

const environment = testEnvironment(t);

t.test('a lock is held for as long as its work runs, past its ttl, and freed after', async (t) => {
  const redis = createRedis(environment.config.redisUrl);
  t.teardown(() => redis.disconnect());
  const key = `${environment.config.queuePrefix}:lock-test`;
  const ttlMs = 300;
  const result = await withRedisLock(redis, key, ttlMs, async () => {
    const started = Date.now();
    await waitFor('three ttls to pass', () => Date.now() - started > 3 * ttlMs, 5000, 50);
    t.equal(await withRedisLock(redis, key, ttlMs, async () => 'second'), null, 'nobody else takes it meanwhile');
    return 'first';
  });
  t.equal(result, 'first');
  t.equal(await redis.exists(key), 0, 'released when the work ends');
  t.equal(await withRedisLock(redis, key, ttlMs, async () => 'next'), 'next');
});

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

t.test('with waitMs a caller waits for the holder, then runs; past waitMs it gets null', async (t) => {
  const redis = createRedis(environment.config.redisUrl);
  t.teardown(() => redis.disconnect());
  const key = `${environment.config.queuePrefix}:lock-wait-test`;
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const order: string[] = [];
  const holder = withRedisLock(redis, key, 5000, async () => {
    await held;
    order.push('holder');
  });
  await waitFor('the holder to take the lock', async () => (await redis.exists(key)) === 1, 5000, 10);
  t.equal(await withRedisLock(redis, key, 5000, async () => 'impatient', { waitMs: 50 }), null, 'gave up waiting');
  const waiter = withRedisLock(
    redis,
    key,
    5000,
    async () => {
      order.push('waiter');
      return 'waited';
    },
    { waitMs: 10_000 },
  );
  release();
  await holder;
  t.equal(await waiter, 'waited');
  t.same(order, ['holder', 'waiter'], 'one after the other');
});

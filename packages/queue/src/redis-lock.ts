import type { RedisClient } from './redis-connection.js';

// Release only our own lock: compare-and-delete in one step.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * Runs `work` while holding a Redis lock, so only one process of the fleet does it at a time; null (without
 * running it) when another holds the lock. The lock expires after `ttlMs` should its holder die.
 */
export async function withRedisLock<T>(
  redis: RedisClient,
  key: string,
  ttlMs: number,
  work: () => Promise<T>,
): Promise<T | null> {
  const token = `${process.pid}-${Math.random()}`;
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}

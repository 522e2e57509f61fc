import type { RedisClient } from './redis-connection.js';

// Release only our own lock: compare-and-delete in one step.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

// Extend only our own lock.
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

/**
 * Runs `work` while holding a Redis lock, so only one process of the fleet does it at a time; null (without
 * running it) when another holds the lock — at once, or, with `waitMs`, when it could not be had within
 * that long (it is asked for again every 10-30 ms meanwhile). The lock expires `ttlMs` after its holder
 * dies; while the work goes on, however long (a first reconcile of 100,000 jobs), it is extended every third
 * of that.
 */
export async function withRedisLock<T>(
  redis: RedisClient,
  key: string,
  ttlMs: number,
  work: () => Promise<T>,
  options: { waitMs?: number } = {},
): Promise<T | null> {
  const token = `${process.pid}-${Math.random()}`;
  const deadline = Date.now() + (options.waitMs ?? 0);
  while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
  }
  const extending = setInterval(() => {
    redis.eval(EXTEND, 1, key, token, ttlMs).catch(() => undefined);
  }, ttlMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(extending);
    await redis.eval(RELEASE, 1, key, token);
  }
}

import { parseRedisSentinelUrl } from '@tickwork/config';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * An ioredis client as BullMQ wants it: no retry limit per request (blocking commands must wait out a
 * reconnect) and RESP2, the protocol BullMQ's own suite runs on. REDIS_URL may name a Redis (redis://,
 * rediss://) or the sentinels of one (redis-sentinel://host:port,host:port/master): ioredis then asks them
 * for the current primary and follows a failover.
 */
export function createRedis(url: string): Redis {
  const options: RedisOptions = { maxRetriesPerRequest: null, protocol: 2, enableReadyCheck: true };
  const sentinel = parseRedisSentinelUrl(url);
  if (!sentinel) return new Redis(url, options);
  return new Redis({
    ...options,
    sentinels: sentinel.sentinels,
    name: sentinel.name,
    username: sentinel.username,
    password: sentinel.password,
    db: sentinel.db,
  });
}

import { parseRedisClusterUrl, parseRedisSentinelUrl } from '@tickwork/config';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A connection to Redis: one server (maybe found through Sentinel), or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * An ioredis client as BullMQ wants it: no retry limit per request (blocking commands must wait out a
 * reconnect) and RESP2, the protocol BullMQ's own suite runs on. REDIS_URL may name a Redis (redis://,
 * rediss://), the sentinels of one (redis-sentinel://host:port,host:port/master: ioredis asks them for the
 * current primary and follows a failover), or a cluster (redis-cluster://host:port,...: with a {hash tag} in
 * QUEUE_PREFIX, all of Tickwork's keys live in one slot).
 */
export function createRedis(url: string): RedisClient {
  const options: RedisOptions = { maxRetriesPerRequest: null, protocol: 2, enableReadyCheck: true };
  const cluster = parseRedisClusterUrl(url);
  if (cluster) {
    return new Cluster(cluster.nodes, {
      enableReadyCheck: true,
      redisOptions: { ...options, username: cluster.username, password: cluster.password },
    });
  }
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

/** Every key matching `pattern`: SCAN on each primary of a cluster, or on the one server. */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const keys: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys;
}

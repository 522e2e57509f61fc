import { Redis } from 'ioredis';

/**
 * An ioredis client as BullMQ wants it: no retry limit per request (blocking commands must wait out a
 * reconnect) and RESP2, the protocol BullMQ's own suite runs on.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, protocol: 2, enableReadyCheck: true });
}

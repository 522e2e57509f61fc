import type { RedisClient } from './redis-connection.js';

// The set lives as long as its longest lease: extend its TTL, never shorten it (PTTL is -1 when unset).
const EXTEND_TTL = `
local function extend(expiry)
  if redis.call('PTTL', KEYS[1]) < tonumber(expiry) - tonumber(ARGV[2]) then
    redis.call('PEXPIREAT', KEYS[1], expiry)
  end
end`;

// KEYS[1] the job's slot set; ARGV: member, now ms, lease-until ms, limit. Drops expired slots, then takes
// one if fewer than `limit` are held. Atomic, so workers on any host share one count.
const ACQUIRE = `${EXTEND_TTL}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  extend(ARGV[3])
  return 1
end
return 0`;

// ARGV: member, now ms, lease-until ms. Renews a held slot only: one already expired is not brought back.
const RENEW = `${EXTEND_TTL}
if redis.call('ZADD', KEYS[1], 'XX', 'GT', ARGV[3], ARGV[1]) and redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  extend(ARGV[3])
  return 1
end
return 0`;

/**
 * JOB_MAX_INSTANCES across the fleet: each run of a job holds a slot in a Redis sorted set scored by its
 * lease, so a dead worker's slots free themselves when its lease runs out.
 */
export class InstanceLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(jobId: string): string {
    return `${this.prefix}:instances:${jobId}`;
  }

  async acquire(jobId: string, executionId: string, limit: number, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const taken = await this.redis.eval(ACQUIRE, 1, this.key(jobId), executionId, now, now + leaseMs, limit);
    return taken === 1;
  }

  async renew(jobId: string, executionId: string, leaseMs: number): Promise<void> {
    const now = Date.now();
    await this.redis.eval(RENEW, 1, this.key(jobId), executionId, now, now + leaseMs);
  }

  async release(jobId: string, executionId: string): Promise<void> {
    await this.redis.zrem(this.key(jobId), executionId);
  }
}

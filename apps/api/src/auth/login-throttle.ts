import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { RedisClient } from '@tickwork/queue';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError } from '../errors/api-error.js';

export interface LoginThrottleLimits {
  /** Failed attempts for one username from one client address, per window: then that pair gets 429. */
  perUsernameAndClient: number;
  /** Failed attempts from one client address, whatever the names, per window: then that address gets 429. */
  perClient: number;
  /** Failed attempts for one username from every address, per window: then each attempt for it is slowed. */
  slowDownAfter: number;
  windowSec: number;
  /** How long each attempt waits once `slowDownAfter` is passed. */
  slowDownMs: number;
}

// KEYS: the (username, client) count, the client's, the username's. ARGV: window ms, the two maxima.
// Refuses (1 or 2, and the ms until that count expires) without counting when a limit is reached;
// otherwise counts the attempt as failed in all three at once — so a burst of parallel guesses cannot
// slip past the limit — and answers 0 and the username's count. A check that turns out right is taken
// back (SETTLE), so in the end only failures count.
const ADMIT = `
if tonumber(redis.call('get', KEYS[1]) or '0') >= tonumber(ARGV[2]) then return {1, redis.call('pttl', KEYS[1])} end
if tonumber(redis.call('get', KEYS[2]) or '0') >= tonumber(ARGV[3]) then return {2, redis.call('pttl', KEYS[2])} end
local counts = {}
for i = 1, 3 do
  counts[i] = redis.call('incr', KEYS[i])
  if counts[i] == 1 then redis.call('pexpire', KEYS[i], ARGV[1]) end
end
return {0, counts[3]}`;

// Takes an attempt back: ARGV[1] = 1 after a success, which also clears the (username, client) count.
const SETTLE = `
local from = 1
if ARGV[1] == '1' then redis.call('del', KEYS[1]); from = 2 end
for i = from, 3 do
  if tonumber(redis.call('get', KEYS[i]) or '0') > 0 then redis.call('decr', KEYS[i]) end
end
return 0`;

/**
 * Password guessing limits for POST /login and POST /passwd, counted in Redis across API processes. Only
 * failed attempts count, and a success clears its (username, client) count, so nobody can lock a user out
 * from another address: the limits that refuse (429 with Retry-After) are per username and client address
 * and per client address; the one per username across all addresses only slows each attempt down. Keys are
 * SHA-256 digests of what the client sent, never the text itself.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly limits: LoginThrottleLimits,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Runs a password check for `username` from `client` within the limits: `check` answers null for a
   * wrong password (counted), anything else for a right one (not counted, and the pair's count cleared). A
   * check that throws (bad input) is not counted either. Refuses with a 429 ApiError past a limit.
   */
  async guard<T>(username: string, client: string, check: () => Promise<T | null>): Promise<T | null> {
    const keys = this.keys(username, client);
    const admitted = await this.admit(keys);
    let result: T | null;
    try {
      result = await check();
    } catch (err) {
      if (admitted) await this.settle(keys, false);
      throw err;
    }
    if (result !== null && admitted) await this.settle(keys, true);
    return result;
  }

  /** Whether the attempt was counted (false when Redis could not be asked). */
  private async admit(keys: string[]): Promise<boolean> {
    const { perUsernameAndClient, perClient, windowSec } = this.limits;
    let answer: [number, number];
    try {
      answer = (await this.redis.eval(ADMIT, 3, ...keys, windowSec * 1000, perUsernameAndClient, perClient)) as [
        number,
        number,
      ];
    } catch (err) {
      // A Redis hiccup must not lock everyone out of logging in; argon2 still makes guessing slow.
      this.log.warn({ err }, 'login throttle: Redis did not answer, attempt not counted');
      return false;
    }
    const [refused, value] = answer;
    if (refused) {
      const retryAfter = Math.max(1, Math.ceil((value > 0 ? value : windowSec * 1000) / 1000));
      throw new ApiError(429, `too many failed logins (rate limit): retry in ${retryAfter} s`, {
        'retry-after': String(retryAfter),
      });
    }
    if (value > this.limits.slowDownAfter) await delay(this.limits.slowDownMs);
    return true;
  }

  private async settle(keys: string[], success: boolean): Promise<void> {
    try {
      await this.redis.eval(SETTLE, 3, ...keys, success ? 1 : 0);
    } catch (err) {
      this.log.warn({ err }, 'login throttle: Redis did not answer, attempt left counted');
    }
  }

  private keys(username: string, client: string): string[] {
    const name = username.toLowerCase();
    const base = `${this.prefix}:login-throttle`;
    return [
      `${base}:pair:${digest(`${name}\n${client}`)}`,
      `${base}:client:${digest(client)}`,
      `${base}:user:${digest(name)}`,
    ];
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

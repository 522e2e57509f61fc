import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';
import { type Check, isBooleanText, url } from './fields.js';
import { parseRedisClusterUrl, parseRedisSentinelUrl } from './redis-url.js';

// The value forms of single variables that the generic field kinds do not cover; messages as users see them.

export const timeZone: Check = (zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown IANA time zone ${JSON.stringify(zone)}`;
  }
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const logLevel: Check = (level) =>
  LOG_LEVELS.includes(level) ? undefined : `must be one of ${LOG_LEVELS.join(', ')}`;

export const queuePrefix: Check = (prefix) =>
  /^[A-Za-z0-9_{}.-]+$/.test(prefix) ? undefined : 'may hold only letters, digits, _ . - { }';

export const sessionSecret: Check = (secret) => (secret.length < 32 ? 'must be at least 32 characters' : undefined);

export const origin: Check = (value) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    // reported below
  }
  return parsed && /^https?:$/.test(parsed.protocol) && parsed.origin === value
    ? undefined
    : `${JSON.stringify(value)} is not an origin like https://ui.example.com`;
};

/** A user name, or a numeric uid with an optional gid. */
export const runAsUser: Check = (user) =>
  /^([a-z_][a-z0-9_.-]*\$?|\d+(:\d+)?)$/i.test(user)
    ? undefined
    : `${JSON.stringify(user)} is neither a user name nor uid[:gid]`;

/** host[:port]: a name, an IPv4 address or an [IPv6] address, lowercased already. */
export const hostAndPort: Check = (host) => {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?)(:(\d{1,5}))?$/.exec(host);
  const port = match?.[4];
  return !match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    ? `${JSON.stringify(host)} is not host or host:port, e.g. tickwork.internal:8888`
    : undefined;
};

/** A name a job's environment may take from the worker's: a variable name, and not a secret of Tickwork's. */
export function passthroughName(secrets: () => readonly string[]): Check {
  return (name) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `${JSON.stringify(name)} is not a variable name`;
    if (secrets().includes(name)) return `${name} is one of Tickwork's secrets and is never given to jobs`;
    return undefined;
  };
}

/**
 * TRUST_PROXY: unset, a number of proxy hops, or the proxies' addresses/CIDRs. Never plain "true": that would
 * let any client pick its own address (X-Forwarded-For) and so dodge the per-address login limit.
 */
export function trustedProxies(raw: string | undefined, name: string): false | number | string[] {
  if (raw === undefined || /^(false|0)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry) && !['loopback', 'linklocal', 'uniquelocal'].includes(entry)) {
      throw new ConfigError(
        name,
        `${JSON.stringify(entry)} is not a hop count, an address, a CIDR, loopback, linklocal or uniquelocal`,
      );
    }
  }
  return list;
}

/**
 * REDIS_URL: redis://, rediss://, redis-sentinel://host:port,.../master for a Sentinel-managed primary, or
 * redis-cluster://host:port,... for a Redis Cluster.
 */
export function redisUrl(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.startsWith('redis-sentinel://') || raw.startsWith('redis-cluster://')) {
    try {
      parseRedisSentinelUrl(raw);
      parseRedisClusterUrl(raw);
    } catch (err) {
      throw new ConfigError(name, (err as Error).message);
    }
    return raw;
  }
  return plainRedisUrl.parse(raw, name);
}

const plainRedisUrl = url({ schemes: ['redis', 'rediss'] });

/** JOB_CLASS_ROLES: `job_class_string=role` pairs, comma-separated; roles editor or admin. */
export function classRoles(raw: string | undefined, name: string): Record<string, 'editor' | 'admin'> {
  const roles: Record<string, 'editor' | 'admin'> = {};
  for (const entry of (raw ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const match = /^\s*([^\s=]+)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!match) throw new ConfigError(name, `${JSON.stringify(entry.trim())} is not job_class_string=role`);
    const [, jobClassString, role] = match as unknown as [string, string, string];
    if (role !== 'editor' && role !== 'admin') {
      throw new ConfigError(name, `${jobClassString}: the role must be editor or admin, got ${JSON.stringify(role)}`);
    }
    if (jobClassString in roles) throw new ConfigError(name, `${jobClassString} is named twice`);
    roles[jobClassString] = role;
  }
  return roles;
}

/** ALLOW_INTERNAL_URLS: true, false, or comma-separated addresses and CIDRs (10.1.2.3, 10.0.0.0/8, fd00::/8). */
export function internalUrls(raw: string | undefined, name: string): boolean | string[] {
  if (raw === undefined) return false;
  if (isBooleanText(raw)) return /^(true|1|yes|on)$/i.test(raw);
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= bits))
    ) {
      throw new ConfigError(
        name,
        `${JSON.stringify(entry)} is neither true, false, an address nor a CIDR like 10.0.0.0/8`,
      );
    }
  }
  return entries;
}

/** At most this many WORKER_TAGS: a worker consumes a queue per tag set in use that it has all the tags of. */
export const MAX_WORKER_TAGS = 8;

/** WORKER_TAGS: comma-separated tags of a-z, 0-9, _ and -; returned unique and sorted. */
export function workerTags(raw: string | undefined, name: string): string[] {
  const tags = (raw ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  for (const tag of tags) {
    if (!/^[a-z0-9_-]{1,64}$/.test(tag)) {
      throw new ConfigError(name, `${JSON.stringify(tag)} is not a tag (letters a-z, digits, _ and -, at most 64)`);
    }
  }
  const unique = [...new Set(tags)].sort();
  if (unique.length > MAX_WORKER_TAGS)
    throw new ConfigError(name, `at most ${MAX_WORKER_TAGS} tags, got ${unique.length}`);
  return unique;
}

import { isIP } from 'node:net';
import { parseRedisClusterUrl, parseRedisSentinelUrl } from './redis-url.js';
/**
 * Tickwork's configuration, read from the environment and validated once at start. Every error names the
 * variable. `.env.example` at the repository root lists the same variables with their defaults.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface Config {
  host: string;
  port: number;
  /** Seconds a client has to send a whole request (headers and body); then 408 and the connection closed. */
  requestTimeoutSec: number;
  /** Seconds a connection may stay silent both ways while answered (an answer not read, or slow); then closed. */
  connectionTimeoutSec: number;
  mongodbUrl: string | undefined;
  redisUrl: string | undefined;
  queuePrefix: string;
  timezone: string;
  jobClassPackages: string[];
  workers: number;
  workerConcurrency: number;
  jobMaxInstances: number;
  jobMisfireGraceSec: number;
  jobCoalesce: boolean;
  sessionSecret: string | undefined;
  sessionTtlSec: number;
  cookieSecure: boolean;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses/CIDRs. */
  trustProxy: false | number | string[];
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  allowAnonymous: boolean;
  corsOrigins: string[];
  /** Failed logins for one username from one client address, per window: then 429 for that pair. */
  loginAttemptsPerUsername: number;
  /** Failed logins from one client address, per window: then 429 for that address. */
  loginAttemptsPerIp: number;
  loginAttemptsWindowSec: number;
  /** Failed logins for one username from all addresses, per window: then each attempt for it waits 1 s. */
  loginSlowdownAfter: number;
  logLevel: string;
  reconcileIntervalSec: number;
  workerHeartbeatSec: number;
  executionLeaseSec: number;
  reaperIntervalSec: number;
  workerShutdownGraceSec: number;
  jobMaxMemoryMb: number;
  seedDemoJob: boolean;
  /** Finished executions older than this (by their last update) are deleted. */
  executionRetentionDays: number;
  /** Audit log entries older than this are deleted. */
  auditRetentionDays: number;
  retentionIntervalSec: number;
  /**
   * How long a store insert waits for others to join its batch (ms): concurrent fires and ends go in one
   * insertMany; longer gathers more per write, and delays each run's start by at most that much.
   */
  storeBatchWindowMs: number;
  /** How far back each API process keeps recent executions in memory for lists (0: none; lists read the store). */
  executionWindowHours: number;
  /** The most executions that window holds; past that it reaches less far back. */
  executionWindowMax: number;
  /** Receives a JSON POST for every failed, timed-out or skipped run of any job. */
  notifyWebhookUrl?: string;
  /** A Slack incoming webhook told of the same. */
  notifySlackUrl?: string;
  /** A worker rewrites this file at each heartbeat that reached Redis: its age tells an orchestrator it lives. */
  workerHealthFile?: string;
  /** MongoDB connections (so store operations in flight) one process opens at most: `storeMaxConnections`. */
  storeMaxConnections: number;
  /** Variables of the worker's environment that job processes get besides the fixed allow-list. */
  jobEnvPassthrough: string[];
  /** JOB_CLASS_ROLES: the role each named class's jobs need, over what the class declares. */
  jobClassRoles: Record<string, 'editor' | 'admin'>;
  /** JOB_RUN_AS: the user (name, or uid[:gid]) job processes switch to; the worker resolves it at start. */
  jobRunAs: string | undefined;
  /** ALLOWED_HOSTS: Host header values (host or host:port, lowercased) answered while no users exist. */
  allowedHosts: string[];
  /**
   * ALLOW_INTERNAL_URLS: which loopback, link-local and private addresses CurlJob and notification webhooks
   * may reach: all (true), none (false, the default), or these addresses and CIDRs.
   */
  allowInternalUrls: boolean | string[];
  /** JOB_CGROUP: `auto` puts each run in a cgroup v2 of its own where the worker can make one; `off` never. */
  jobCgroup: 'auto' | 'off';
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got ${JSON.stringify(raw)}`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);
  }
  return raw;
}

/**
 * TRUST_PROXY: unset, a number of proxy hops, or the proxies' addresses/CIDRs. Never plain "true": that would
 * let any client pick its own address (X-Forwarded-For) and so dodge the per-address login limit.
 */
function trustedProxies(raw: string | undefined): false | number | string[] {
  if (raw === undefined || /^(false|0)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry) && !['loopback', 'linklocal', 'uniquelocal'].includes(entry)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `${JSON.stringify(entry)} is not a hop count, an address, a CIDR, loopback, linklocal or uniquelocal`,
      );
    }
  }
  return list;
}

/**
 * redis://, rediss://, redis-sentinel://host:port,.../master for a Sentinel-managed primary, or
 * redis-cluster://host:port,... for a Redis Cluster.
 */
function redisUrl(env: Env): string | undefined {
  const raw = optional(env, 'REDIS_URL');
  if (raw?.startsWith('redis-sentinel://') || raw?.startsWith('redis-cluster://')) {
    try {
      parseRedisSentinelUrl(raw);
      parseRedisClusterUrl(raw);
    } catch (err) {
      throw new ConfigError('REDIS_URL', (err as Error).message);
    }
    return raw;
  }
  return url(env, 'REDIS_URL', ['redis', 'rediss']);
}

/**
 * STORE_MAX_CONNECTIONS: the MongoDB driver's maxPoolSize in each process, so at most this many store
 * operations of one process are at the server at once; more wait their turn in the driver. Store.open reads
 * it, so every process honours it; loadConfig checks it at start. On FerretDB the fleet's total must stay
 * well below the server's PostgreSQL pool (README, "Development").
 */
export function storeMaxConnections(env: Env = process.env): number {
  return integer(env, 'STORE_MAX_CONNECTIONS', 10, 1, 1000);
}

/**
 * Tickwork's secrets and connection strings (and the CLI's credentials): a job never gets these, even when
 * JOB_ENV_PASSTHROUGH names them, since whoever may write a job could then print them.
 */
export const SECRET_VARIABLES: readonly string[] = [
  'MONGODB_URL',
  'REDIS_URL',
  'SESSION_SECRET',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'NOTIFY_WEBHOOK_URL',
  'NOTIFY_SLACK_URL',
  'FERRETDB_POSTGRESQL_URL',
  'TICKWORK_TOKEN',
  'TICKWORK_PASSWORD',
];

/** JOB_ENV_PASSTHROUGH: comma-separated variable names, none of them one of Tickwork's secrets. */
function passthroughNames(env: Env): string[] {
  const names = text(env, 'JOB_ENV_PASSTHROUGH', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new ConfigError('JOB_ENV_PASSTHROUGH', `${JSON.stringify(name)} is not a variable name`);
    }
    if (SECRET_VARIABLES.includes(name)) {
      throw new ConfigError('JOB_ENV_PASSTHROUGH', `${name} is one of Tickwork's secrets and is never given to jobs`);
    }
  }
  return names;
}

/** JOB_CLASS_ROLES: `job_class_string=role` pairs, comma-separated; roles editor or admin. */
function classRoles(env: Env): Record<string, 'editor' | 'admin'> {
  const roles: Record<string, 'editor' | 'admin'> = {};
  for (const entry of text(env, 'JOB_CLASS_ROLES', '').split(',')) {
    if (entry.trim() === '') continue;
    const match = /^\s*([^\s=]+)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!match) {
      throw new ConfigError('JOB_CLASS_ROLES', `${JSON.stringify(entry.trim())} is not job_class_string=role`);
    }
    const [, jobClassString, role] = match as unknown as [string, string, string];
    if (role !== 'editor' && role !== 'admin') {
      throw new ConfigError(
        'JOB_CLASS_ROLES',
        `${jobClassString}: the role must be editor or admin, got ${JSON.stringify(role)}`,
      );
    }
    if (jobClassString in roles) throw new ConfigError('JOB_CLASS_ROLES', `${jobClassString} is named twice`);
    roles[jobClassString] = role;
  }
  return roles;
}

/** JOB_RUN_AS: a user name, or a numeric uid with an optional gid. */
function runAs(env: Env): string | undefined {
  const raw = optional(env, 'JOB_RUN_AS');
  if (raw !== undefined && !/^([a-z_][a-z0-9_.-]*\$?|\d+(:\d+)?)$/i.test(raw)) {
    throw new ConfigError('JOB_RUN_AS', `${JSON.stringify(raw)} is neither a user name nor uid[:gid]`);
  }
  return raw;
}

/**
 * ALLOWED_HOSTS: comma-separated host[:port] values (names, IPv4 addresses, [IPv6] addresses) that an API
 * without users answers besides loopback ones; hosts are compared case-insensitively.
 */
function allowedHosts(env: Env): string[] {
  const hosts = text(env, 'ALLOWED_HOSTS', '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?)(:(\d{1,5}))?$/.exec(host);
    const port = match?.[4];
    if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      throw new ConfigError(
        'ALLOWED_HOSTS',
        `${JSON.stringify(host)} is not host or host:port, e.g. tickwork.internal:8888`,
      );
    }
  }
  return hosts;
}

/** ALLOW_INTERNAL_URLS: true, false, or comma-separated addresses and CIDRs (10.1.2.3, 10.0.0.0/8, fd00::/8). */
function internalUrls(env: Env): boolean | string[] {
  const raw = optional(env, 'ALLOW_INTERNAL_URLS');
  if (raw === undefined || /^(true|1|yes|on|false|0|no|off)$/i.test(raw))
    return boolean(env, 'ALLOW_INTERNAL_URLS', false);
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
        'ALLOW_INTERNAL_URLS',
        `${JSON.stringify(entry)} is neither true, false, an address nor a CIDR like 10.0.0.0/8`,
      );
    }
  }
  return entries;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const timezone = text(env, 'TIMEZONE', 'UTC');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError('TIMEZONE', `unknown IANA time zone ${JSON.stringify(timezone)}`);
  }
  const logLevel = text(env, 'LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const queuePrefix = text(env, 'QUEUE_PREFIX', 'tickwork');
  if (!/^[A-Za-z0-9_{}.-]+$/.test(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX', 'may hold only letters, digits, _ . - { }');
  }
  const redis = redisUrl(env);
  // A cluster spreads keys over nodes by hash; BullMQ's scripts and ours need all of a queue's keys on one,
  // which a {hash tag} in the prefix guarantees.
  if (redis?.startsWith('redis-cluster://') && !/\{[^{}]+\}/.test(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX', `must hold a {hash tag} with a Redis Cluster, e.g. {${queuePrefix}}`);
  }
  const sessionSecret = optional(env, 'SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  const adminUsername = optional(env, 'ADMIN_USERNAME');
  // A password is taken as written: spaces at either end are part of it.
  const adminPassword = env.ADMIN_PASSWORD ? env.ADMIN_PASSWORD : undefined;
  if (adminUsername !== undefined && adminPassword === undefined) {
    throw new ConfigError('ADMIN_PASSWORD', 'is required when ADMIN_USERNAME is set');
  }
  if (adminPassword !== undefined && adminUsername === undefined) {
    throw new ConfigError('ADMIN_USERNAME', 'is required when ADMIN_PASSWORD is set');
  }
  if (adminUsername !== undefined && sessionSecret === undefined) {
    // The admin turns authentication on, and sessions must be signed with a secret of the operator's own.
    throw new ConfigError('SESSION_SECRET', 'is required when ADMIN_USERNAME is set (at least 32 characters)');
  }
  const corsOrigins = text(env, 'CORS_ORIGINS', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', `${JSON.stringify(origin)} is not an origin like https://ui.example.com`);
    }
  }
  const trustProxy = trustedProxies(optional(env, 'TRUST_PROXY'));
  const workerHeartbeatSec = integer(env, 'WORKER_HEARTBEAT_SEC', 10, 1, 3600);
  const executionLeaseSec = integer(env, 'EXECUTION_LEASE_SEC', 30, 2, 86_400);
  if (executionLeaseSec < 2 * workerHeartbeatSec) {
    // A lease renewed every heartbeat must survive one late heartbeat.
    throw new ConfigError('EXECUTION_LEASE_SEC', `must be at least twice WORKER_HEARTBEAT_SEC (${workerHeartbeatSec})`);
  }
  const requestTimeoutSec = integer(env, 'REQUEST_TIMEOUT_SEC', 30, 1, 3600);
  const connectionTimeoutSec = integer(env, 'CONNECTION_TIMEOUT_SEC', 120, 1, 86_400);
  if (connectionTimeoutSec <= requestTimeoutSec) {
    // Else a silent request would be cut off without the 408 that says why.
    throw new ConfigError('CONNECTION_TIMEOUT_SEC', `must be more than REQUEST_TIMEOUT_SEC (${requestTimeoutSec})`);
  }
  return {
    host: text(env, 'HOST', '127.0.0.1'),
    port: integer(env, 'PORT', 8888, 0, 65535),
    requestTimeoutSec,
    connectionTimeoutSec,
    mongodbUrl: url(env, 'MONGODB_URL', ['mongodb', 'mongodb+srv']),
    redisUrl: redis,
    queuePrefix,
    timezone,
    jobClassPackages: text(env, 'JOB_CLASS_PACKAGES', '@tickwork/sample-jobs')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    workers: integer(env, 'WORKERS', 1, 0, 64),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 10, 1, 1000),
    jobMaxInstances: integer(env, 'JOB_MAX_INSTANCES', 3, 1, 10_000),
    jobMisfireGraceSec: integer(env, 'JOB_MISFIRE_GRACE_SEC', 3600, 0, 31_536_000),
    jobCoalesce: boolean(env, 'JOB_COALESCE', true),
    sessionSecret,
    sessionTtlSec: integer(env, 'SESSION_TTL_SEC', 28_800, 60, 31_536_000),
    cookieSecure: boolean(env, 'COOKIE_SECURE', false),
    trustProxy,
    adminUsername,
    adminPassword,
    allowAnonymous: boolean(env, 'ALLOW_ANONYMOUS', false),
    corsOrigins,
    loginAttemptsPerUsername: integer(env, 'LOGIN_ATTEMPTS_PER_USERNAME', 10, 1, 1_000_000),
    loginAttemptsPerIp: integer(env, 'LOGIN_ATTEMPTS_PER_IP', 50, 1, 1_000_000),
    loginAttemptsWindowSec: integer(env, 'LOGIN_ATTEMPTS_WINDOW_SEC', 900, 1, 86_400),
    loginSlowdownAfter: integer(env, 'LOGIN_SLOWDOWN_AFTER', 100, 1, 1_000_000),
    logLevel,
    reconcileIntervalSec: integer(env, 'RECONCILE_INTERVAL_SEC', 30, 1, 86_400),
    workerHeartbeatSec,
    executionLeaseSec,
    reaperIntervalSec: integer(env, 'REAPER_INTERVAL_SEC', 10, 1, 3600),
    workerShutdownGraceSec: integer(env, 'WORKER_SHUTDOWN_GRACE_SEC', 30, 0, 86_400),
    jobMaxMemoryMb: integer(env, 'JOB_MAX_MEMORY_MB', 512, 16, 65_536),
    seedDemoJob: boolean(env, 'SEED_DEMO_JOB', false),
    executionRetentionDays: integer(env, 'EXECUTION_RETENTION_DAYS', 30, 1, 36_500),
    auditRetentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 365, 1, 36_500),
    retentionIntervalSec: integer(env, 'RETENTION_INTERVAL_SEC', 3600, 1, 86_400),
    storeBatchWindowMs: integer(env, 'STORE_BATCH_WINDOW_MS', 2, 0, 60_000),
    executionWindowHours: integer(env, 'EXECUTION_WINDOW_HOURS', 24, 0, 720),
    executionWindowMax: integer(env, 'EXECUTION_WINDOW_MAX', 100_000, 1000, 10_000_000),
    notifyWebhookUrl: url(env, 'NOTIFY_WEBHOOK_URL', ['http', 'https']),
    notifySlackUrl: url(env, 'NOTIFY_SLACK_URL', ['http', 'https']),
    workerHealthFile: optional(env, 'WORKER_HEALTH_FILE'),
    storeMaxConnections: storeMaxConnections(env),
    jobEnvPassthrough: passthroughNames(env),
    jobClassRoles: classRoles(env),
    jobRunAs: runAs(env),
    allowedHosts: allowedHosts(env),
    allowInternalUrls: internalUrls(env),
    jobCgroup: oneOf(env, 'JOB_CGROUP', ['auto', 'off'] as const, 'auto'),
  };
}

/** Like loadConfig, but a missing MongoDB or Redis URL is an error: for processes that connect. */
export function loadServiceConfig(env: Env = process.env): Config & { mongodbUrl: string; redisUrl: string } {
  const config = loadConfig(env);
  if (!config.mongodbUrl) throw new ConfigError('MONGODB_URL', 'is required (npm start provides one when unset)');
  if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'is required (npm start provides one when unset)');
  return config as Config & { mongodbUrl: string; redisUrl: string };
}

/** For a process's entry point: the service config, or a one-line error naming the variable and exit 2. */
export function loadServiceConfigOrExit(app: string, env: Env = process.env): ReturnType<typeof loadServiceConfig> {
  try {
    return loadServiceConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`tickwork ${app}: configuration error: ${err.message}`);
    process.exit(2);
  }
}

export {
  parseRedisClusterUrl,
  parseRedisSentinelUrl,
  type RedisClusterTarget,
  type RedisSentinelTarget,
} from './redis-url.js';
export { type SignalTarget, type StopLog, type StopOnSignalsOptions, stopOnSignals } from './stop-on-signals.js';

import t from 'tap';
import { loadConfig, loadServiceConfig } from '../src/index.js';

t.test('defaults', async (t) => {
  t.match(loadConfig({}), {
    host: '127.0.0.1',
    port: 8888,
    queuePrefix: 'tickwork',
    timezone: 'UTC',
    jobClassPackages: ['@tickwork/sample-jobs'],
    workers: 1,
    jobMaxInstances: 3,
    jobMisfireGraceSec: 3600,
    jobCoalesce: true,
    logLevel: 'info',
    executionRetentionDays: 30,
    auditRetentionDays: 365,
  });
});

t.test('every bad value is an error naming its variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /^PORT: must be a whole number/],
    [{ PORT: '70000' }, /^PORT: must be between/],
    [{ TIMEZONE: 'Moon/Base' }, /^TIMEZONE: unknown IANA time zone/],
    [{ MONGODB_URL: 'postgres://x' }, /^MONGODB_URL: must start with mongodb:\/\//],
    [{ REDIS_URL: 'not a url' }, /^REDIS_URL: is not a URL/],
    [{ JOB_COALESCE: 'maybe' }, /^JOB_COALESCE: must be true or false/],
    [{ WORKERS: '-1' }, /^WORKERS: must be a whole number/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of/],
    [{ SESSION_SECRET: 'short' }, /^SESSION_SECRET: must be at least 32 characters/],
    [{ QUEUE_PREFIX: 'a:b' }, /^QUEUE_PREFIX: /],
    [{ NOTIFY_WEBHOOK_URL: 'ftp://x' }, /^NOTIFY_WEBHOOK_URL: must start with http:\/\/ or https:\/\//],
    [{ EXECUTION_RETENTION_DAYS: '0' }, /^EXECUTION_RETENTION_DAYS: must be between 1 and/],
    [{ ADMIN_USERNAME: 'admin' }, /^ADMIN_PASSWORD: is required when ADMIN_USERNAME is set/],
    [{ ADMIN_PASSWORD: 'Very$ecret' }, /^ADMIN_USERNAME: is required/],
    [{ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'Very$ecret' }, /^SESSION_SECRET: is required when ADMIN_USERNAME/],
    [{ ALLOW_ANONYMOUS: 'perhaps' }, /^ALLOW_ANONYMOUS: must be true or false/],
    [
      { CORS_ORIGINS: 'https://ui.example.com/path' },
      /^CORS_ORIGINS: "https:\/\/ui.example.com\/path" is not an origin/,
    ],
    [{ CORS_ORIGINS: '*' }, /^CORS_ORIGINS: "\*" is not an origin/],
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY: "true" is not a hop count/],
    [{ LOGIN_ATTEMPTS_PER_IP: '0' }, /^LOGIN_ATTEMPTS_PER_IP: must be between/],
    [{ JOB_ENV_PASSTHROUGH: 'OK,NOT-A-NAME' }, /^JOB_ENV_PASSTHROUGH: "NOT-A-NAME" is not a variable name/],
    [{ JOB_CLASS_ROLES: 'a.B=editor,c.D' }, /^JOB_CLASS_ROLES: "c.D" is not job_class_string=role/],
    [{ JOB_CLASS_ROLES: 'a.B=viewer' }, /^JOB_CLASS_ROLES: a.B: the role must be editor or admin, got "viewer"/],
    [{ JOB_CLASS_ROLES: 'a.B=admin,a.B=editor' }, /^JOB_CLASS_ROLES: a.B is named twice/],
    [{ WORKER_TAGS: 'backup,EU' }, /^WORKER_TAGS: "EU" is not a tag/],
    [{ WORKER_TAGS: 'a,b,c,d,e,f,g,h,i' }, /^WORKER_TAGS: at most 8 tags, got 9/],
    [{ ALLOWED_HOSTS: 'ok.example, https://bad.example' }, /^ALLOWED_HOSTS: "https:\/\/bad.example" is not host/],
    [{ ALLOWED_HOSTS: 'ok.example:70000' }, /^ALLOWED_HOSTS: "ok.example:70000" is not host or host:port/],
    [{ JOB_RUN_AS: 'no body' }, /^JOB_RUN_AS: "no body" is neither a user name nor uid\[:gid\]/],
    [{ JOB_RUN_AS: '1000:' }, /^JOB_RUN_AS: "1000:" is neither/],
    [{ JOB_ENV_PASSTHROUGH: 'HTTP_PROXY, REDIS_URL' }, /^JOB_ENV_PASSTHROUGH: REDIS_URL is one of Tickwork's secrets/],
  ];
  for (const [env, message] of cases) t.throws(() => loadConfig(env), { message }, JSON.stringify(env));
});

t.test('JOB_ENV_PASSTHROUGH is a list of names', async (t) => {
  t.same(loadConfig({}).jobEnvPassthrough, []);
  t.same(loadConfig({ JOB_ENV_PASSTHROUGH: ' HTTP_PROXY, SIMPLE_SCHEDULER_SLACK_URL ,' }).jobEnvPassthrough, [
    'HTTP_PROXY',
    'SIMPLE_SCHEDULER_SLACK_URL',
  ]);
});

t.test('JOB_CLASS_ROLES maps classes to roles', async (t) => {
  t.same(loadConfig({}).jobClassRoles, {});
  t.same(
    loadConfig({ JOB_CLASS_ROLES: 'simple_scheduler.jobs.shell_job.ShellJob=editor, other.Class = admin,' })
      .jobClassRoles,
    { 'simple_scheduler.jobs.shell_job.ShellJob': 'editor', 'other.Class': 'admin' },
  );
});

t.test('WORKER_TAGS: comma-separated, unique and sorted; none by default', async (t) => {
  t.same(loadConfig({}).workerTags, []);
  t.same(loadConfig({ WORKER_TAGS: ' eu, backup,eu,' }).workerTags, ['backup', 'eu']);
});

t.test('JOB_RUN_AS takes a name or uid[:gid]', async (t) => {
  t.equal(loadConfig({}).jobRunAs, undefined);
  for (const value of ['nobody', 'tickwork-jobs', '65534', '1000:1000']) {
    t.equal(loadConfig({ JOB_RUN_AS: value }).jobRunAs, value);
  }
});

t.test('ALLOWED_HOSTS takes hosts with or without a port', async (t) => {
  t.same(loadConfig({}).allowedHosts, []);
  t.same(loadConfig({ ALLOWED_HOSTS: 'Tickwork.Internal:8888, 192.168.1.5, [fd00::1]:8888' }).allowedHosts, [
    'tickwork.internal:8888',
    '192.168.1.5',
    '[fd00::1]:8888',
  ]);
});

t.test('authentication settings', async (t) => {
  t.match(loadConfig({}), {
    sessionSecret: undefined,
    cookieSecure: false,
    trustProxy: false,
    allowAnonymous: false,
    corsOrigins: [],
    loginAttemptsPerUsername: 10,
    loginAttemptsPerIp: 50,
    loginAttemptsWindowSec: 900,
  });
  const secret = 'x'.repeat(32);
  t.match(
    loadConfig({
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'Very$ecret',
      SESSION_SECRET: secret,
      CORS_ORIGINS: 'https://a.example.com, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8, loopback',
    }),
    {
      adminUsername: 'admin',
      adminPassword: 'Very$ecret',
      sessionSecret: secret,
      corsOrigins: ['https://a.example.com', 'http://localhost:5173'],
      trustProxy: ['10.0.0.0/8', 'loopback'],
    },
  );
});

t.test('TRUST_PROXY takes a hop count', async (t) => {
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
});

t.test('processes that connect need both URLs', async (t) => {
  t.throws(() => loadServiceConfig({ REDIS_URL: 'redis://x' }), { message: /^MONGODB_URL: is required/ });
  t.throws(() => loadServiceConfig({ MONGODB_URL: 'mongodb://x' }), { message: /^REDIS_URL: is required/ });
});

t.test('STORE_MAX_CONNECTIONS: 10 connections per process by default, a bad value names the variable', async (t) => {
  t.equal(loadConfig({}).storeMaxConnections, 10);
  t.equal(loadConfig({ STORE_MAX_CONNECTIONS: '4' }).storeMaxConnections, 4);
  t.throws(() => loadConfig({ STORE_MAX_CONNECTIONS: '0' }), { message: /^STORE_MAX_CONNECTIONS: must be between 1/ });
  t.throws(() => loadConfig({ STORE_MAX_CONNECTIONS: 'many' }), {
    message: /^STORE_MAX_CONNECTIONS: must be a whole number/,
  });
});

t.test('ALLOW_INTERNAL_URLS: true, false, or addresses and CIDRs', async (t) => {
  t.equal(loadConfig({}).allowInternalUrls, false);
  t.equal(loadConfig({ ALLOW_INTERNAL_URLS: 'true' }).allowInternalUrls, true);
  t.same(loadConfig({ ALLOW_INTERNAL_URLS: '10.0.0.0/8, 127.0.0.2,fd00::/8' }).allowInternalUrls, [
    '10.0.0.0/8',
    '127.0.0.2',
    'fd00::/8',
  ]);
  t.throws(() => loadConfig({ ALLOW_INTERNAL_URLS: '10.0.0.0/33' }), {
    message: /^ALLOW_INTERNAL_URLS: "10.0.0.0\/33" is neither true, false, an address nor a CIDR/,
  });
  t.throws(() => loadConfig({ ALLOW_INTERNAL_URLS: 'intranet.example' }), { message: /^ALLOW_INTERNAL_URLS: / });
});

t.test('JOB_CGROUP: auto or off', async (t) => {
  t.equal(loadConfig({}).jobCgroup, 'auto');
  t.equal(loadConfig({ JOB_CGROUP: 'off' }).jobCgroup, 'off');
  t.throws(() => loadConfig({ JOB_CGROUP: 'on' }), { message: /^JOB_CGROUP: must be one of auto, off/ });
});

t.test('REQUEST_TIMEOUT_SEC and CONNECTION_TIMEOUT_SEC: 30 s and 120 s, the second longer', async (t) => {
  t.match(loadConfig({}), { requestTimeoutSec: 30, connectionTimeoutSec: 120 });
  t.match(loadConfig({ REQUEST_TIMEOUT_SEC: '5', CONNECTION_TIMEOUT_SEC: '6' }), {
    requestTimeoutSec: 5,
    connectionTimeoutSec: 6,
  });
  t.throws(() => loadConfig({ REQUEST_TIMEOUT_SEC: '0' }), { message: /^REQUEST_TIMEOUT_SEC: must be between 1/ });
  t.throws(() => loadConfig({ REQUEST_TIMEOUT_SEC: '200' }), {
    message: 'CONNECTION_TIMEOUT_SEC: must be more than REQUEST_TIMEOUT_SEC (200)',
  });
});

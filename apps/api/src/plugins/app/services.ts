import type { Config } from '@tickwork/config';
import { withRedisLock } from '@tickwork/queue';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { listenDecision } from '../../auth/listen-policy.js';
import { ApiError } from '../../errors/api-error.js';
import { StartupRefused } from '../../errors/startup-refused.js';
import { ApiTokenService } from '../../services/api-token-service.js';
import { ExecutionService } from '../../services/execution-service.js';
import { ExecutionWindow } from '../../services/execution-window.js';
import { JobCatalog } from '../../services/job-catalog.js';
import { JobClassRoles } from '../../services/job-class-roles.js';
import { JobService } from '../../services/job-service.js';
import { PasswordHasher } from '../../services/password-hasher.js';
import { UserService, type UserWriteLock } from '../../services/user-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobService: JobService;
    /** Every job in memory, fresh through Redis: what job reads answer from. */
    jobCatalog: JobCatalog;
    jobClassRoles: JobClassRoles;
    executionService: ExecutionService;
    /** Recent executions in memory, fresh through Redis; null when EXECUTION_WINDOW_HOURS is 0. */
    executionWindow: ExecutionWindow | null;
    passwordHasher: PasswordHasher;
    userService: UserService;
    apiTokenService: ApiTokenService;
  }
}

/**
 * The API's services (apps/api/src/services), built on the fleet's store, ledger and Redis and decorated
 * in one place: jobs (with the in-memory catalog and class roles), executions (with the recent window),
 * users and API tokens. At start: the catalog and window load; the ADMIN_USERNAME admin is created if
 * absent, then the API decides whether it may listen — with users it needs SESSION_SECRET, without users it
 * stays on loopback unless ALLOW_ANONYMOUS=true — and says which mode it is in.
 */
export default fp(
  async function services(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;

    const catalog = new JobCatalog(app.jobChanges, app.store.jobs, app.log);
    const classRoles = new JobClassRoles(config.jobClassRoles, app.workerRegistry);
    app.decorate('jobCatalog', catalog);
    app.decorate('jobClassRoles', classRoles);
    app.decorate(
      'jobService',
      new JobService({
        store: app.store,
        mirror: app.schedulerMirror,
        changes: app.jobChanges,
        catalog,
        classRoles,
        ledger: app.ledger,
        chains: app.fleet.chains,
        chainLock: async (work) => {
          const done = await withRedisLock(
            app.redis,
            `${config.queuePrefix}:chains-lock`,
            10_000,
            async () => ({ value: await work() }),
            { waitMs: 10_000 },
          );
          if (!done) throw new ApiError(503, 'job chains are being changed by another request: try again');
          return done.value;
        },
        defaultTimeZone: config.timezone,
        log: app.log,
      }),
    );

    app.decorate('executionService', new ExecutionService(app.store, app.ledger, app.runOutput));
    const { executionWindowHours: hours, executionWindowMax: max } = config;
    const window =
      hours > 0
        ? new ExecutionWindow(
            app.fleet.feed,
            app.executionHistory,
            { spanMs: hours * 3_600_000, maxExecutions: max },
            app.log,
          )
        : null;
    app.decorate('executionWindow', window);

    const hasher = new PasswordHasher();
    app.decorate('passwordHasher', hasher);
    // One user change at a time across every API process (see UserService): a change waits its turn for up
    // to 10 s; the lock outlives a holder that died by 10 s, and is extended while its holder works.
    const writeLock: UserWriteLock = async (work) => {
      const done = await withRedisLock(
        app.redis,
        `${config.queuePrefix}:users-lock`,
        10_000,
        async () => ({ value: await work() }),
        { waitMs: 10_000 },
      );
      if (!done) throw new ApiError(503, 'users are being changed by another request: try again');
      return done.value;
    };
    app.decorate('userService', new UserService(app.store, hasher, writeLock));
    app.decorate('apiTokenService', new ApiTokenService(app.store));

    app.addHook('onReady', async () => {
      await catalog.start();
      await window?.start();
      await ensureAdminThenDecideListening(app, config);
    });
  },
  { name: 'services', dependencies: ['fleet'] },
);

async function ensureAdminThenDecideListening(app: FastifyInstance, config: Config): Promise<void> {
  if (config.adminUsername && config.adminPassword) {
    try {
      if (await app.userService.ensureAdmin(config.adminUsername, config.adminPassword)) {
        app.log.info({ user: config.adminUsername }, 'created the admin from ADMIN_USERNAME');
      }
    } catch (err) {
      if (err instanceof Error && err.name === 'ApiError') throw new StartupRefused(err.message);
      throw err;
    }
  }
  const decision = listenDecision({
    host: config.host,
    users: await app.store.users.count(),
    allowAnonymous: config.allowAnonymous,
    sessionSecret: config.sessionSecret,
  });
  if (!decision.allowed) throw new StartupRefused(decision.message);
  app.log[decision.level](decision.message);
}

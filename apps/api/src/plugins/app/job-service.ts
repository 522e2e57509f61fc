import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { JobCatalog } from '../../services/job-catalog.js';
import { JobClassRoles } from '../../services/job-class-roles.js';
import { JobService } from '../../services/job-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobService: JobService;
    /** Every job in memory, fresh through Redis: what job reads answer from. */
    jobCatalog: JobCatalog;
    jobClassRoles: JobClassRoles;
  }
  interface FastifyRequest {
    /** Who the audit log names for this request: '' until someone is logged in. */
    auditUser: string;
  }
}

export default fp(
  async function jobService(app: FastifyInstance, opts: { config: Config }) {
    const catalog = new JobCatalog(app.jobChanges, app.store.jobs, app.log);
    app.decorate('jobCatalog', catalog);
    const classRoles = new JobClassRoles(opts.config.jobClassRoles, app.workerRegistry);
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
        defaultTimeZone: opts.config.timezone,
        log: app.log,
      }),
    );
    app.decorateRequest('auditUser', '');
    app.addHook('onReady', async () => catalog.start());
  },
  { name: 'job-service', dependencies: ['fleet'] },
);

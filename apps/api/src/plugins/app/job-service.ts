import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { JobClassRoles } from '../../services/job-class-roles.js';
import { JobService } from '../../services/job-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobService: JobService;
    jobClassRoles: JobClassRoles;
  }
  interface FastifyRequest {
    /** Who the audit log names for this request: '' until someone is logged in. */
    auditUser: string;
  }
}

export default fp(
  async function jobService(app: FastifyInstance, opts: { config: Config }) {
    const classRoles = new JobClassRoles(opts.config.jobClassRoles, app.workerRegistry);
    app.decorate('jobClassRoles', classRoles);
    app.decorate(
      'jobService',
      new JobService(app.store, app.schedulerMirror, app.runQueue, classRoles, opts.config.timezone, app.log),
    );
    app.decorateRequest('auditUser', '');
  },
  { name: 'job-service', dependencies: ['store', 'queue'] },
);

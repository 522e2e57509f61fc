import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { JobService } from '../../services/job-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobService: JobService;
  }
  interface FastifyRequest {
    /** Who the audit log names for this request: '' until someone is logged in. */
    auditUser: string;
  }
}

export default fp(
  async function jobService(app: FastifyInstance, opts: { config: Config }) {
    app.decorate(
      'jobService',
      new JobService(app.store, app.schedulerMirror, app.runQueue, opts.config.timezone, app.log),
    );
    app.decorateRequest('auditUser', '');
  },
  { name: 'job-service', dependencies: ['store', 'queue'] },
);

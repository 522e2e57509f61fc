import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listJobClassesSchema } from './schema.js';

/**
 * /api/v1/job-classes: the classes the live workers can run, merged, with ndscheduler's meta info and the
 * role their jobs need (`required_role`, Tickwork's).
 */
const jobClasses: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { schema: listJobClassesSchema, config: { access: 'viewer' } }, async () => {
    return { job_classes: await app.jobClassRoles.classes() };
  });
};

export default jobClasses;

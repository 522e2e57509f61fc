import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkerInfo } from '@tickwork/queue';

/** /api/v1/job-classes: the classes the live workers can run, merged, with ndscheduler's meta info. */
const jobClasses: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { access: 'viewer' } }, async () => {
    const merged = new Map<string, WorkerInfo['job_classes'][number]>();
    for (const worker of await app.workerRegistry.list()) {
      for (const cls of worker.job_classes)
        if (!merged.has(cls.job_class_string)) merged.set(cls.job_class_string, cls);
    }
    return { job_classes: [...merged.values()].sort((a, b) => a.job_class_string.localeCompare(b.job_class_string)) };
  });
};

export default jobClasses;

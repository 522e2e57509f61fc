import type { Config } from '@tickwork/config';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import demoJob from './plugins/app/demo-job.js';
import errorHandler from './plugins/app/error-handler.js';
import executionReaper from './plugins/app/execution-reaper.js';
import executionService from './plugins/app/execution-service.js';
import jobService from './plugins/app/job-service.js';
import jsonBody from './plugins/app/json-body.js';
import queue from './plugins/app/queue.js';
import reconciler from './plugins/app/reconciler.js';
import retention from './plugins/app/retention.js';
import store from './plugins/app/store.js';
import executions from './routes/api/v1/executions/index.js';
import jobClasses from './routes/api/v1/job-classes/index.js';
import jobs from './routes/api/v1/jobs/index.js';
import logs from './routes/api/v1/logs/index.js';
import workers from './routes/api/v1/workers/index.js';

export type ApiConfig = Config & { mongodbUrl: string; redisUrl: string };

/** Composes the API: app plugins (store, queue, services), then the routes. */
export async function buildApp(
  config: ApiConfig,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Types are checked, never coerced: a name sent as 123 is a 400, not the string "123".
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });

  await app.register(errorHandler);
  await app.register(jsonBody);
  await app.register(store, { config });
  await app.register(queue, { config });
  await app.register(jobService, { config });
  await app.register(executionService);
  await app.register(reconciler, { config });
  await app.register(executionReaper, { config });
  await app.register(retention, { config });
  if (config.seedDemoJob) await app.register(demoJob);

  await app.register(jobs, { prefix: '/api/v1/jobs' });
  await app.register(executions, { prefix: '/api/v1/executions' });
  await app.register(logs, { prefix: '/api/v1/logs' });
  await app.register(jobClasses, { prefix: '/api/v1/job-classes' });
  await app.register(workers, { prefix: '/api/v1/workers' });
  return app;
}

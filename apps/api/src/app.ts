import type { Config } from '@tickwork/config';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { clientErrorHandler } from './errors/client-error.js';
import accessControl from './plugins/app/access-control.js';
import demoJob from './plugins/app/demo-job.js';
import errorHandler from './plugins/app/error-handler.js';
import executionReaper from './plugins/app/execution-reaper.js';
import fleet from './plugins/app/fleet.js';
import hostCheck from './plugins/app/host-check.js';
import jsonBody from './plugins/app/json-body.js';
import metrics from './plugins/app/metrics.js';
import reconciler from './plugins/app/reconciler.js';
import retention from './plugins/app/retention.js';
import routeTable from './plugins/app/route-table.js';
import services from './plugins/app/services.js';
import bullBoard from './plugins/external/bull-board.js';
import cors from './plugins/external/cors.js';
import helmet from './plugins/external/helmet.js';
import session from './plugins/external/session.js';
import staticFiles from './plugins/external/static.js';
import swagger from './plugins/external/swagger.js';
import swaggerUi from './plugins/external/swagger-ui.js';
import executions from './routes/api/v1/executions/index.js';
import jobClasses from './routes/api/v1/job-classes/index.js';
import jobs from './routes/api/v1/jobs/index.js';
import logs from './routes/api/v1/logs/index.js';
import openapi from './routes/api/v1/openapi/index.js';
import schedulePreview from './routes/api/v1/schedule-preview/index.js';
import sessionInfo from './routes/api/v1/session/index.js';
import tokens from './routes/api/v1/tokens/index.js';
import users from './routes/api/v1/users/index.js';
import workers from './routes/api/v1/workers/index.js';
import auth from './routes/auth/index.js';
import health from './routes/health/index.js';
import metricsRoute from './routes/metrics/index.js';
import pages from './routes/pages/index.js';

/** The nearest `hops` proxies are trusted (Fastify's numeric trustProxy, in the form its types accept). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export type ApiConfig = Config & { mongodbUrl: string; redisUrl: string };

/**
 * Node's own request deadlines, to go with Fastify's requestTimeout: headers within the same time (Node's
 * default is 60 s, more than a request may take in all), and connections checked against both often enough
 * that a late request is answered within a tenth of the deadline of it (Node checks every 30 s by default).
 */
function httpTimeouts(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(60_000, requestTimeoutMs),
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeoutMs / 10))),
  };
}

/**
 * Composes the API: the route table first (so it lists every route), app plugins (store, queue, services),
 * the web-facing ones (headers, the Host check while no users exist, CORS, sessions), access
 * control — before any route, so it guards every one — then the routes.
 */
export async function buildApp(
  config: ApiConfig,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Types are checked, never coerced: a name sent as 123 is a 400, not the string "123". The job
    // contract's defaults are documentation and ours to apply: filled into a PUT, they would overwrite.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
    routerOptions: { ignoreTrailingSlash: true },
    // Only the proxies in TRUST_PROXY may set request.ip and protocol (X-Forwarded-*): anyone else could
    // dodge the per-address login limit or fake HTTPS.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // A client has REQUEST_TIMEOUT_SEC to send a whole request, from connecting or from its first byte (a
    // body announced and never sent no longer holds its connection): then 408 JSON (clientErrorHandler). A
    // connection silent both ways for CONNECTION_TIMEOUT_SEC while answered is closed. Neither limits how
    // long an answer takes, nor an idle keep-alive connection (Fastify's keepAliveTimeout, 72 s).
    requestTimeout: config.requestTimeoutSec * 1000,
    connectionTimeout: config.connectionTimeoutSec * 1000,
    clientErrorHandler: clientErrorHandler(config.requestTimeoutSec),
    http: {
      // A request without Host reaches the host check, which answers it in JSON (Node's own 400 is bare).
      requireHostHeader: false,
      ...httpTimeouts(config.requestTimeoutSec * 1000),
    },
  });

  await app.register(routeTable);
  await app.register(swagger);
  await app.register(errorHandler);
  await app.register(jsonBody);
  await app.register(fleet, { config });
  await app.register(services, { config });
  await app.register(executionReaper, { config });
  await app.register(reconciler, { config });
  await app.register(retention, { config });
  await app.register(metrics);
  if (config.seedDemoJob) await app.register(demoJob);

  await app.register(helmet, { config });
  // Before every other request hook and every route (after helmet only, so its refusal has the headers).
  await app.register(hostCheck, { config });
  await app.register(cors, { config });
  await app.register(session, { config });
  await app.register(staticFiles);
  await app.register(accessControl, { config });

  await app.register(auth, { config });
  await app.register(pages);
  await app.register(health);
  await app.register(metricsRoute);
  await app.register(bullBoard);
  await app.register(swaggerUi);

  await app.register(jobs, { prefix: '/api/v1/jobs' });
  await app.register(executions, { prefix: '/api/v1/executions' });
  await app.register(logs, { prefix: '/api/v1/logs' });
  await app.register(jobClasses, { prefix: '/api/v1/job-classes' });
  await app.register(workers, { prefix: '/api/v1/workers' });
  await app.register(users, { prefix: '/api/v1/users' });
  await app.register(tokens, { prefix: '/api/v1/tokens' });
  await app.register(sessionInfo, { prefix: '/api/v1/session' });
  await app.register(openapi, { prefix: '/api/v1' });
  await app.register(schedulePreview, { prefix: '/api/v1/schedule-preview', config });
  return app;
}

import fastifyCors from '@fastify/cors';
import type { Config } from '@tickwork/config';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isCorsPreflight } from '../../auth/request-kind.js';

/**
 * CORS only for the origins in CORS_ORIGINS (off when it is empty). Registered before access control so a
 * preflight, which carries no credentials, is answered here. An OPTIONS that is not a preflight is
 * ndscheduler's "resume a job" and goes on to its route.
 */
export default fp(
  async function cors(app: FastifyInstance, opts: { config: Config }) {
    const origins = opts.config.corsOrigins;
    if (origins.length === 0) return;
    const options = {
      origin: origins,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token'],
      exposedHeaders: ['Retry-After'],
    };
    await app.register(fastifyCors, {
      delegator: (request: FastifyRequest, callback: (err: Error | null, o: object) => void) => {
        const resume = request.method === 'OPTIONS' && !isCorsPreflight(request);
        callback(null, resume ? { ...options, preflight: false } : options);
      },
    });
  },
  { name: 'cors' },
);

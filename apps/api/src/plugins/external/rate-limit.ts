import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * @fastify/rate-limit with its counters in Redis (shared by every API process), off by default: routes that
 * need limits (login) make them with app.createRateLimit(...).
 */
export default fp(
  async function rateLimit(app: FastifyInstance, opts: { config: Config }) {
    await app.register(fastifyRateLimit, {
      global: false,
      redis: app.redis,
      nameSpace: `${opts.config.queuePrefix}:rate-limit:`,
      // A Redis hiccup must not lock everyone out of logging in; argon2 still makes guessing slow.
      skipOnError: true,
    });
  },
  { name: 'rate-limit', dependencies: ['fleet'] },
);

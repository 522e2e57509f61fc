import type { FastifyPluginAsync } from 'fastify';
import { metricsSchema } from './schema.js';

/**
 * GET /metrics for Prometheus. Closed like the API when auth is on: scrape with a viewer token
 * (`authorization: {credentials: <token>}` in the scrape config).
 */
const metrics: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: metricsSchema, config: { access: 'viewer' } }, async (_request, reply) => {
    const body = await app.metricsRegistry.metrics();
    return reply.type(app.metricsRegistry.contentType).send(body);
  });
};

export default metrics;

import type { FastifyPluginAsync } from 'fastify';

/** GET /api/v1/openapi.json: the OpenAPI 3 document of this API, generated from the route schemas. */
const openapi: FastifyPluginAsync = async (app) => {
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'viewer' } }, async () => app.swagger());
};

export default openapi;

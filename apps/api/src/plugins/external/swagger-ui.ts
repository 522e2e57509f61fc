import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Swagger UI at /docs, from the package's own files (no CDN); for any logged-in user when auth is on. */
export default fp(
  async function swaggerUi(app: FastifyInstance) {
    // Its routes come from the plugin, which cannot be told an access level: set it as they are added.
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/docs')) route.config = { ...route.config, access: 'viewer' };
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: false });
  },
  { name: 'swagger-ui', dependencies: ['swagger'] },
);

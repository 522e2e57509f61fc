import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * OpenAPI 3 from the route schemas (request and reply). Reply schemas document; they do not serialize: every
 * answer goes out as the route built it (JSON.stringify), so ndscheduler's exact shapes never lose a field
 * to a schema that forgot it.
 */
export default fp(
  async function swagger(app: FastifyInstance) {
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Tickwork',
          description:
            'A distributed cron that speaks ndscheduler\'s REST API. Errors are `{"error": "..."}` naming the problem.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'tickwork_session' },
            token: { type: 'http', scheme: 'bearer' },
          },
        },
        security: [{ session: [] }, { token: [] }],
      },
      // The UI's own assets and Bull Board's pages are not API.
      hideUntagged: false,
      transform: ({ schema, url, route }) => {
        const hidden =
          !url.startsWith('/api/') &&
          !['/login', '/logout', '/passwd', '/healthz', '/readyz', '/metrics'].includes(url);
        return { schema: hidden ? { ...schema, hide: true } : schema, url, route };
      },
    });
  },
  { name: 'swagger' },
);

import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** The web UI's own paths (apps/web/src/app.tsx): each answers index.html, and the UI shows that page. */
const UI_PATHS = ['/', '/executions', '/executions/:execution_id', '/audit-logs', '/workers', '/api-docs'];

/**
 * The web UI (apps/web, built into apps/web/dist): index.html on each of its paths and its bundled assets.
 * All need a login once users exist (a browser without one is sent to /login); the login page itself is
 * self-contained and needs none of them.
 */
const pages: FastifyPluginAsync = async (app) => {
  const index = async (_request: unknown, reply: FastifyReply) => {
    if (!app.webBuilt()) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built: run `npm run build` (npm start and npm test build it too).');
    }
    // Always revalidated: a new build must reach browsers at once (its assets have new names).
    return reply.sendFile('index.html', { maxAge: 0, immutable: false, cacheControl: false });
  };
  for (const path of UI_PATHS) {
    app.get(path, { config: { access: 'viewer' } }, async (request, reply) => {
      reply.header('cache-control', 'no-cache');
      return index(request, reply);
    });
  }

  // Names carry a content hash (Vite), so they can be cached for good.
  app.get<{ Params: { '*': string } }>('/assets/*', { config: { access: 'viewer' } }, async (request, reply) => {
    return reply.sendFile(`assets/${request.params['*']}`, { maxAge: '365d', immutable: true });
  });
};

export default pages;

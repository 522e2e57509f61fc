import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The web UI's build output (apps/web/dist), the same relative path from src/ and from dist/. */
export const WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    /** True when the web UI has been built (`npm run build`). */
    webBuilt: () => boolean;
  }
}

/**
 * reply.sendFile() over the web UI's build output. It adds no routes of its own (`serve: false`): the
 * pages routes serve the files, each with an access level, so the UI is closed like everything else.
 */
export default fp(
  async function staticFiles(app: FastifyInstance) {
    await app.register(fastifyStatic, { root: WEB_DIST, serve: false, suppressWarning: true });
    app.decorate('webBuilt', () => existsSync(`${WEB_DIST}index.html`));
  },
  { name: 'static' },
);

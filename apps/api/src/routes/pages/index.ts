import type { FastifyPluginAsync } from 'fastify';
import { HOME_PAGE_HTML } from './home-page.js';

/** The pages a browser lands on; the web UI will take `/` over. */
const pages: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'viewer' } }, async (_request, reply) => {
    return reply.type('text/html; charset=utf-8').send(HOME_PAGE_HTML);
  });
};

export default pages;

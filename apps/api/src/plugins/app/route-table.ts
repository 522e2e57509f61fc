import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Access, accessOf } from '../../auth/access.js';

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app with the access it gets: what the route-walk test checks. */
    routeAccess: RouteAccess[];
  }
}

/** Registered first, so every route any later plugin adds (CORS's, Bull Board's) is listed. */
export default fp(
  async function routeTable(app: FastifyInstance) {
    app.decorate('routeAccess', [] as RouteAccess[]);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) app.routeAccess.push({ method, url: route.url, access: accessOf(route.config) });
    });
  },
  { name: 'route-table' },
);

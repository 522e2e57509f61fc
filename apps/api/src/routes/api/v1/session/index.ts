import type { FastifyPluginAsync } from 'fastify';

/**
 * /api/v1/session: who this request acts as, and the CSRF token a cookie-authenticated client sends in
 * X-CSRF-Token with writes that are not JSON. `user` is null while no users exist (authentication off).
 */
const session: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'viewer' } }, async (request) => {
    const principal = request.principal;
    return {
      user: principal?.name ?? null,
      role: principal?.role ?? null,
      via: principal?.via ?? null,
      csrf_token: principal?.via === 'session' ? (request.session.get('csrf_token') ?? null) : null,
    };
  });
};

export default session;

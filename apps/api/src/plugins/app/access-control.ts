import { timingSafeEqual } from 'node:crypto';
import type { Config } from '@tickwork/config';
import { roleAllows } from '@tickwork/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Access, accessOf } from '../../auth/access.js';
import { type Actor, auditName, type Principal } from '../../auth/principal.js';
import { isCrossSite, isUnsafeMethod, wantsHtml } from '../../auth/request-kind.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user or token; null when anonymous (no users exist) or on a public route. */
    principal: Principal | null;
  }
}

export const LOGIN_PAGE = '/login';

/** Who a request acts as, for the services: with no users (principal null) nobody's role is checked. */
export function actorOf(request: FastifyRequest): Actor {
  return { name: request.auditUser, role: request.principal?.role ?? null };
}

/**
 * Authentication and authorization for every request, once any user exists:
 * - `Authorization: Bearer <token>` acts with the token's role; otherwise the session cookie with the user's
 *   current role (a removed user or a changed password ends the session);
 * - a route's `config.access` says the least role it needs, `admin` when unset;
 * - without credentials, /api/* and non-browser clients get 401 JSON, a browser is redirected to the login page;
 * - a cookie-authenticated write must come from this site and be JSON or carry the session's X-CSRF-Token,
 *   so a cross-site form cannot ride on the cookie.
 * With no users, everything is open, as in ndscheduler (the API then listens on loopback only).
 */
export default fp(
  async function accessControl(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    app.decorateRequest('principal', null);

    app.addHook('onRequest', async (request, reply) => {
      const access: Access = request.is404 ? 'viewer' : accessOf(request.routeOptions.config);
      if (isUnsafeMethod(request) && isCrossSite(request, config.corsOrigins)) {
        return reply.code(403).send({ error: 'cross-site request refused' });
      }
      if (!(await app.userService.anyUsers())) return;

      const principal = await authenticate(app, request, reply);
      if (reply.sent) return;
      request.principal = principal;
      if (principal) request.auditUser = auditName(principal);
      if (access === 'public') return;
      if (!principal) return unauthenticated(request, reply);
      if (!roleAllows(principal.role, access)) {
        return reply
          .code(403)
          .send({ error: `forbidden: this needs the ${access} role, ${auditName(principal)} is ${principal.role}` });
      }
      if (principal.via === 'session' && isUnsafeMethod(request) && !csrfSafe(request)) {
        return reply.code(403).send({
          error: 'a write with a session cookie must be Content-Type: application/json or carry X-CSRF-Token',
        });
      }
    });
  },
  { name: 'access-control', dependencies: ['user-service', 'session', 'job-service'] },
);

async function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const token = match?.[1] ? await app.apiTokenService.find(match[1]) : null;
    if (!token) {
      reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'invalid or revoked API token' });
      return null;
    }
    return { name: token._id, role: token.role, via: 'token' };
  }
  const username = request.session.get('user');
  if (username === undefined) return null;
  const user = await app.userService.get(username);
  if (!user || user.credentials_version !== request.session.get('credentials_version')) {
    // Removed, or the password changed since this session began: the session is over. Regenerated rather
    // than destroyed, so the request still has an (empty) session to log in with.
    await request.session.regenerate();
    return null;
  }
  return { name: user._id, role: user.role, via: 'session' };
}

function unauthenticated(request: FastifyRequest, reply: FastifyReply) {
  if (!request.url.startsWith('/api/') && wantsHtml(request)) return reply.redirect(LOGIN_PAGE, 302);
  return reply
    .code(401)
    .send({ error: 'authentication required: log in with POST /login or send Authorization: Bearer <token>' });
}

function csrfSafe(request: FastifyRequest): boolean {
  // No form and no cross-origin "simple" request can send JSON without a CORS preflight, which we refuse.
  const type = request.headers['content-type'];
  if (typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type)) return true;
  return tokenMatches(request.headers['x-csrf-token'], request.session.get('csrf_token'));
}

/** Compared as bytes: a header may hold any byte, and timingSafeEqual takes Buffers of one length only. */
function tokenMatches(sent: string | string[] | undefined, expected: string | undefined): boolean {
  if (typeof sent !== 'string' || !expected) return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

import { timingSafeEqual } from 'node:crypto';
import type { Config } from '@tickwork/config';
import { roleAllows } from '@tickwork/domain';
import { sessionKeyOf } from '@tickwork/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Access, accessOf } from '../../auth/access.js';
import { type Actor, auditName, type Principal } from '../../auth/principal.js';
import {
  isBodylessScriptPost,
  isCrossSite,
  isUnsafeMethod,
  needsPreflight,
  wantsHtml,
} from '../../auth/request-kind.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user or token; null when anonymous (no users exist) or on a public route. */
    principal: Principal | null;
    /** Who the audit log and the logs name for this request: '' until someone is logged in. */
    auditUser: string;
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
 * - a cookie-authenticated write must come from this site, and one a form could send must be JSON or carry
 *   the session's X-CSRF-Token, so a cross-site form cannot ride on the cookie (csrfRefusal).
 * With no users, everything is open, as in ndscheduler (the API then listens on loopback only).
 */
export default fp(
  async function accessControl(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    app.decorateRequest('principal', null);
    app.decorateRequest('auditUser', '');

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
      if (principal.via === 'session' && isUnsafeMethod(request)) {
        const refusal = csrfRefusal(request);
        if (refusal) return reply.code(403).send({ error: refusal });
      }
    });
  },
  { name: 'access-control', dependencies: ['services', 'session'] },
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
      reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'invalid, expired or revoked API token' });
      return null;
    }
    return { name: token._id, role: token.role, via: 'token' };
  }
  const username = request.session.get('user');
  if (username === undefined) return null;
  const user = await app.userService.get(username);
  if (!user || sessionKeyOf(user) !== request.session.get('credentials')) {
    // Removed (even if added again since), or the password changed since this session began: the session
    // is over. Regenerated rather
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

/**
 * Why a write authenticated by the session cookie may have been forged by another site's page, or null
 * when it cannot have been. What a browser marks cross-site is refused before this; what is left to fear is
 * a form, or a fetch needing no CORS preflight, riding on the cookie from a page of another site, and the
 * only unsafe method either can send is POST. So:
 * - JSON passes: no form sends it, and a fetch sending it cross-origin needs a preflight, which is refused;
 * - an X-CSRF-Token passes if it is the session's, and is refused if it is not;
 * - DELETE, PATCH, PUT and OPTIONS pass: a browser sends them cross-origin only after a preflight;
 * - a body-less POST without Content-Type, Origin and Sec-Fetch-Site passes: a script (curl), not a browser;
 * - any other POST (urlencoded, multipart, text/plain, or from a browser) needs JSON or the token.
 */
function csrfRefusal(request: FastifyRequest): string | null {
  const type = request.headers['content-type'];
  if (typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type)) return null;
  const sent = request.headers['x-csrf-token'];
  if (sent !== undefined) {
    if (tokenMatches(sent, request.session.get('csrf_token'))) return null;
    return "X-CSRF-Token is not this session's token (GET /api/v1/session gives it as csrf_token)";
  }
  if (needsPreflight(request) || isBodylessScriptPost(request)) return null;
  return 'a POST with a session cookie that a form could have sent must be Content-Type: application/json or carry X-CSRF-Token';
}

/** Compared as bytes: a header may hold any byte, and timingSafeEqual takes Buffers of one length only. */
function tokenMatches(sent: string | string[] | undefined, expected: string | undefined): boolean {
  if (typeof sent !== 'string' || !expected) return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

import { randomBytes } from 'node:crypto';
import formBody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '@tickwork/config';
import { sessionKeyOf } from '@tickwork/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginThrottle } from '../../auth/login-throttle.js';
import { isCrossSite, wantsHtml } from '../../auth/request-kind.js';
import { ApiError } from '../../errors/api-error.js';
import { LOGIN_FAILED_HTML, LOGIN_PAGE_HTML } from './login-page.js';
import { AUTH_BODY_LIMIT, loginPageSchema, loginSchema, logoutSchema, passwdSchema } from './schema.js';

/**
 * ndscheduler's (palto42 fork) login: POST /login with form fields (or JSON) username and password, then the
 * session cookie on every call; GET|POST /logout; POST /passwd. A browser (Accept: text/html) is redirected,
 * an API client gets JSON.
 */
const auth: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, opts) => {
  const { config } = opts;
  // Form bodies only here: the API itself takes JSON.
  await app.register(formBody, { bodyLimit: AUTH_BODY_LIMIT });

  const throttle = new LoginThrottle(
    app.redis,
    config.queuePrefix,
    {
      perUsernameAndClient: config.loginAttemptsPerUsername,
      perClient: config.loginAttemptsPerIp,
      slowDownAfter: config.loginSlowdownAfter,
      windowSec: config.loginAttemptsWindowSec,
      slowDownMs: 1000,
    },
    app.log,
  );

  app.get('/login', { schema: loginPageSchema, config: { access: 'public' } }, async (_request, reply) => {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(LOGIN_PAGE_HTML);
  });

  app.post(
    '/login',
    { schema: loginSchema, config: { access: 'public' }, bodyLimit: AUTH_BODY_LIMIT },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await throttle.guard(username, request.ip, () => app.userService.authenticate(username, password));
      if (!user) {
        request.log.info({ user: username.slice(0, 64), ip: request.ip }, 'login failed');
        if (wantsHtml(request)) return reply.code(401).type('text/html; charset=utf-8').send(LOGIN_FAILED_HTML);
        return reply.code(401).send({ error: 'wrong username or password' });
      }
      if (!config.sessionSecret) {
        // Only possible when the first user was added while this process ran without a secret.
        throw new ApiError(503, 'logins are off until the API is restarted with SESSION_SECRET set');
      }
      if (config.cookieSecure && request.protocol !== 'https') {
        // The Secure cookie would never be set: say why rather than answer 200 without a session.
        throw ApiError.badRequest(
          'COOKIE_SECURE=true and this request came over plain HTTP: log in over HTTPS (behind a proxy, set TRUST_PROXY)',
        );
      }
      // A new session id at login, so an id planted before it (session fixation) is worth nothing.
      await request.session.regenerate();
      request.session.set('user', user._id);
      request.session.set('credentials', sessionKeyOf(user));
      request.session.set('csrf_token', randomBytes(24).toString('base64url'));
      request.log.info({ user: user._id }, 'logged in');
      if (wantsHtml(request)) return reply.redirect('/', 303);
      return { user: user._id, role: user.role };
    },
  );

  const logout = async (request: FastifyRequest, reply: FastifyReply) => {
    // A GET another site can make (a link, an <img>): it logs nobody out, and shows that site nothing.
    // A cross-site POST never gets here (access control refuses it).
    if (isCrossSite(request, config.corsOrigins)) {
      if (wantsHtml(request)) return reply.redirect('/', 303);
      return reply.code(403).send({ error: 'cross-site logout refused: log out from this site' });
    }
    if (request.session.get('user') !== undefined) await request.session.destroy();
    if (wantsHtml(request)) return reply.redirect('/login', 303);
    return { logged_out: true };
  };
  app.get('/logout', { schema: logoutSchema, config: { access: 'public' } }, logout);
  app.post('/logout', { schema: logoutSchema, config: { access: 'public' } }, logout);

  const viewer = { access: 'viewer' } as const;
  app.post('/passwd', { schema: passwdSchema, config: viewer, bodyLimit: AUTH_BODY_LIMIT }, async (request, reply) => {
    const principal = request.principal;
    if (!principal) throw ApiError.badRequest('nobody is logged in: there is no password to change');
    if (principal.via !== 'session') throw ApiError.badRequest('an API token has no password: log in as a user');
    const { old_password, new_password } = request.body;
    const credentials = await throttle.guard(principal.name, request.ip, () =>
      app.userService.changePassword(principal.name, old_password, new_password),
    );
    if (credentials === null) throw new ApiError(403, 'old_password is wrong');
    // This session goes on (under a new id); the user's other sessions end at their next request.
    const csrf = request.session.get('csrf_token');
    await request.session.regenerate();
    request.session.set('user', principal.name);
    request.session.set('credentials', credentials);
    if (csrf) request.session.set('csrf_token', csrf);
    request.log.info({ user: principal.name }, 'password changed');
    if (wantsHtml(request)) return reply.redirect('/', 303);
    return { user: principal.name, role: principal.role };
  });
};

export default auth;

import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { Config } from '@tickwork/config';
import { RedisStore } from 'connect-redis';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface Session {
    user: string;
    /** The user's session key when this session began (sessionKeyOf): it ends when the user's changes. */
    credentials: string;
    /** For cookie-authenticated writes that are not JSON: sent back in X-CSRF-Token. */
    csrf_token: string;
  }
}

export const SESSION_COOKIE = 'tickwork_session';

/**
 * Sessions in Redis (connect-redis, under QUEUE_PREFIX), so every API process sees every session and a
 * restart loses none. Cookies are HttpOnly, SameSite=Lax, and Secure with COOKIE_SECURE or over HTTPS.
 * Without SESSION_SECRET (only allowed while no user exists) the secret is random per process and logins
 * are refused, so nothing is ever signed with a built-in default.
 */
export default fp(
  async function session(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: config.sessionSecret ?? randomBytes(32).toString('hex'),
      cookieName: SESSION_COOKIE,
      saveUninitialized: false,
      // A session lasts SESSION_TTL_SEC from login. Rolling would rewrite it in Redis on every request, and
      // such a rewrite racing a logout could bring the session back.
      rolling: false,
      cookie: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure ? true : 'auto',
        maxAge: config.sessionTtlSec * 1000,
      },
      store: new RedisStore({
        client: app.redis,
        prefix: `${config.queuePrefix}:session:`,
        ttl: config.sessionTtlSec,
      }),
    });
  },
  { name: 'session', dependencies: ['fleet'] },
);

import fastifyHelmet from '@fastify/helmet';
import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every answer. The CSP allows only this server's own scripts, styles and fonts (inline
 * styles too, which Bull Board's loading screen uses): nothing is loaded from elsewhere, Bull Board's
 * web-font link included, which falls back to a local font. Requests are upgraded to HTTPS only with
 * COOKIE_SECURE (served over HTTPS): on plain HTTP the upgrade would break every asset.
 */
export default fp(
  async function helmet(app: FastifyInstance, opts: { config: Config }) {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'", "'unsafe-inline'"],
          'font-src': ["'self'", 'data:'],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'upgrade-insecure-requests': opts.config.cookieSecure ? [] : null,
        },
      },
      // Not helmet's no-referrer: under it a browser sends `Origin: null` with a form POST, and the login and
      // logout forms would be refused as cross-site. same-origin still sends nothing to other sites.
      referrerPolicy: { policy: 'same-origin' },
    });
  },
  { name: 'helmet' },
);

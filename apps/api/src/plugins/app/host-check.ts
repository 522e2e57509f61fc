import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hostAllowed } from '../../auth/listen-policy.js';

/**
 * While no users exist nothing else guards the API, and a web page can reach a loopback port through a
 * domain it rebinds to 127.0.0.1 (DNS rebinding): then the Host header is the page's domain. So with no
 * users, a request whose Host is not a loopback name or address with the listening port, nor in
 * ALLOWED_HOSTS, is refused before any route, page or 404 sees it. With users, Host is not checked.
 */
export default fp(
  async function hostCheck(app: FastifyInstance, opts: { config: Config }) {
    const allowed = opts.config.allowedHosts;
    app.addHook('onRequest', async (request, reply) => {
      const host = request.headers.host;
      // The cheap test first: a request addressed to us needs no look-up of whether users exist.
      if (hostAllowed(host, request.raw.socket.localPort, allowed)) return;
      if (await app.userService.anyUsers()) {
        // Node would have refused this (the server is told not to, so open mode can answer it in JSON).
        if (host === undefined) return reply.code(400).send({ error: 'the request has no Host header' });
        return;
      }
      const port = request.raw.socket.localPort;
      const what = host === undefined ? 'a request without a Host header' : `Host ${JSON.stringify(host)}`;
      return reply.code(403).send({
        error: `${what} is refused: with no users, Tickwork answers only requests addressed to localhost, 127.0.0.1 or [::1] on port ${port}, against DNS rebinding. To allow it, add it to ALLOWED_HOSTS (host or host:port), or add a user to turn authentication on`,
      });
    });
  },
  { name: 'host-check', dependencies: ['user-service'] },
);

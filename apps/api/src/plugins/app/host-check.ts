import type { Config } from '@tickwork/config';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hostAllowed } from '../../auth/listen-policy.js';

/**
 * While no users exist nothing else guards the API, and a web page can reach a loopback port through a
 * domain it rebinds to 127.0.0.1 (DNS rebinding): then the Host header is the page's domain. So with no
 * users, a request whose Host is not a loopback name or address with the listening port, nor in
 * ALLOWED_HOSTS, is refused before any route, page or 404 sees it. With users, Host is not checked, but
 * an HTTP/1.1 request must have one (HTTP/1.0 need not: health checkers send none). Either way, more than
 * one Host, or one that is no host[:port], is a 400 (RFC 9112, 3.2). Every refusal is JSON naming why.
 */
export default fp(
  async function hostCheck(app: FastifyInstance, opts: { config: Config }) {
    const allowed = opts.config.allowedHosts;
    app.addHook('onRequest', async (request, reply) => {
      const host = request.headers.host;
      const malformed = hostProblem(request);
      if (malformed) return reply.code(400).send({ error: malformed });
      // The cheap test first: a request addressed to us needs no look-up of whether users exist.
      if (hostAllowed(host, request.raw.socket.localPort, allowed)) return;
      if (await app.userService.anyUsers()) {
        // Node would have refused this (the server is told not to, so that it is answered in JSON).
        if (host === undefined && requiresHost(request)) {
          return reply.code(400).send({ error: 'the request has no Host header' });
        }
        return;
      }
      const port = request.raw.socket.localPort;
      const what = host === undefined ? 'a request without a Host header' : `Host ${JSON.stringify(host)}`;
      return reply.code(403).send({
        error: `${what} is refused: with no users, Tickwork answers only requests addressed to localhost, 127.0.0.1 or [::1] on port ${port}, against DNS rebinding. To allow it, add it to ALLOWED_HOSTS (host or host:port), or add a user to turn authentication on`,
      });
    });
  },
  { name: 'host-check', dependencies: ['services'] },
);

/** RFC 3986's host (an IP literal in brackets, or a reg-name, which includes IPv4) and an optional port. */
const HOST_SYNTAX = /^(?:\[[0-9A-Za-z:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::\d*)?$/;

/** Why the Host header(s) cannot be read as one host[:port], or null. Node keeps only the first of several. */
function hostProblem(request: FastifyRequest): string | null {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === 'host') count++;
  if (count > 1) return `the request has ${count} Host headers; one is allowed`;
  const host = request.headers.host;
  if (host !== undefined && !HOST_SYNTAX.test(host)) {
    return `the Host header ${JSON.stringify(host)} is not a host or host:port`;
  }
  return null;
}

/** HTTP/1.1 (and later) requires Host; HTTP/1.0 and 0.9 do not. */
function requiresHost(request: FastifyRequest): boolean {
  const { httpVersionMajor: major, httpVersionMinor: minor } = request.raw;
  return major > 1 || (major === 1 && minor >= 1);
}

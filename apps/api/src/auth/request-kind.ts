import type { FastifyRequest } from 'fastify';

/**
 * Browser or API client: a browser navigating or submitting a form asks for `text/html` in its Accept
 * header; curl (`*\/*`), fetch/XHR (`*\/*` or `application/json`) and scripts don't. Browsers get redirects
 * and pages, everyone else JSON.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}

/** Methods that change something: the ones CSRF defences guard. */
export function isUnsafeMethod(request: FastifyRequest): boolean {
  return !['GET', 'HEAD'].includes(request.method) && !isCorsPreflight(request);
}

export function isCorsPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/**
 * True when another site sent this request: the browser says so (Sec-Fetch-Site), or its Origin is neither
 * this server nor one of CORS_ORIGINS. Clients without these headers (curl, scripts) are not browsers
 * acting for another site.
 */
export function isCrossSite(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && allowedOrigins.includes(origin)) return false;
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true; // "null" or garbage: a sandboxed or privacy-stripped origin, not ours
  }
}

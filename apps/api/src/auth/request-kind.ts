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

/**
 * Methods a browser sends to another origin only after a CORS preflight, which is refused unless the origin
 * is in CORS_ORIGINS: all but GET, HEAD and POST (no form has them, and fetch must ask first). So no other
 * site can make a browser send one of them with our cookie.
 */
export function needsPreflight(request: FastifyRequest): boolean {
  return !['GET', 'HEAD', 'POST'].includes(request.method);
}

/**
 * A POST that no browser sent for a page: no body, no Content-Type, no Origin and no Sec-Fetch-Site. A form
 * always has a Content-Type, and browsers send Origin with every POST (and Sec-Fetch-Site where they may);
 * this is a script, such as ndscheduler's `curl -X POST localhost:8888/api/v1/executions/<job_id>`.
 */
export function isBodylessScriptPost(request: FastifyRequest): boolean {
  const { headers } = request;
  return (
    request.method === 'POST' &&
    headers['content-type'] === undefined &&
    headers.origin === undefined &&
    headers['sec-fetch-site'] === undefined &&
    headers['transfer-encoding'] === undefined &&
    (headers['content-length'] === undefined || headers['content-length'] === '0')
  );
}

export function isCorsPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/**
 * True when another site sent this request. A browser says where a request comes from in Sec-Fetch-Site,
 * which is trusted first (with `Referrer-Policy: no-referrer` a same-origin form posts `Origin: null`);
 * without it, an Origin that is not this server counts as another site. Origins in CORS_ORIGINS are
 * allowed. Clients that send neither header (curl, scripts) are not browsers acting for another site.
 */
export function isCrossSite(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && allowedOrigins.includes(origin)) return false;
  const site = request.headers['sec-fetch-site'];
  // same-site is a sibling subdomain: it gets SameSite=Lax cookies, so it is no friend either.
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true; // "null" or garbage: a sandboxed or privacy-stripped origin, not ours
  }
}

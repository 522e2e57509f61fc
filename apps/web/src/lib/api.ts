/** An API call that did not succeed, with the server's own words (`{"error": ...}`) when it gave some. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token (from /api/v1/session): sent on every write, whatever its body. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function explain(status: number, error: string | undefined): string {
  const said = error ?? '';
  switch (status) {
    case 403:
      return `Not allowed: ${said || 'your role cannot do this'}`;
    case 429:
      return `Too many requests: ${said || 'wait a moment and try again'}`;
    case 503:
      return `The server cannot do this right now (${said || 'service unavailable'}); try again shortly`;
    default:
      if (status >= 500) return `The server failed (${status}${said ? `: ${said}` : ''})`;
      return said || `The request failed (HTTP ${status})`;
  }
}

/**
 * Calls the API with the session cookie. A 401 means the session is gone: the browser goes to the login page.
 * Any other failure is an ApiFailure whose message can be shown to the user as is.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiFailure(0, 'The server cannot be reached: is it running, and is the network up?');
  }
  if (response.status === 401) {
    window.location.assign('/login');
    throw new ApiFailure(401, 'Your session has ended: log in again');
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data as { error?: unknown } | undefined)?.error;
    throw new ApiFailure(response.status, explain(response.status, typeof error === 'string' ? error : undefined));
  }
  return data as T;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

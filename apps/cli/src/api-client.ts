/** An error the API answered (its `error` text), or that it could not be reached: printed, exit 1. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface Credentials {
  /** An API token (Authorization: Bearer). */
  token?: string;
  /** A user to log in as with POST /login; the session cookie is then used. */
  user?: string;
  password?: string;
}

/**
 * Talks to a Tickwork or ndscheduler REST API. With a user and password it logs in once (POST /login, form
 * fields, as ndscheduler's fork does) and sends the session cookie, plus the CSRF token Tickwork asks of
 * cookie-authenticated writes that carry no JSON.
 */
export class ApiClient {
  private cookie: string | undefined;
  private csrfToken: string | undefined;
  private loggedIn: Promise<void> | undefined;

  constructor(
    readonly base: string,
    private readonly credentials: Credentials = {},
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    if (this.credentials.user && !this.credentials.token) {
      this.loggedIn ??= this.login();
      await this.loggedIn;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credentials.token) headers.authorization = `Bearer ${this.credentials.token}`;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(`cannot reach ${this.base}: ${(err as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError(`${method} ${path}: HTTP ${response.status}, not JSON`, response.status);
    }
    if (!response.ok) {
      const error = (parsed as { error?: unknown }).error;
      throw new ApiError(
        `${method} ${path}: ${typeof error === 'string' ? error : `HTTP ${response.status}`}`,
        response.status,
      );
    }
    return parsed as T;
  }

  /**
   * Every job, following Tickwork's `next_cursor` past its page cap (an ndscheduler answers all at once,
   * without one).
   */
  async allJobs<T = Record<string, unknown>>(): Promise<T[]> {
    const jobs: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.request<{ jobs: T[]; next_cursor?: string }>(
        'GET',
        `/api/v1/jobs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      jobs.push(...page.jobs);
      cursor = page.next_cursor;
    } while (cursor);
    return jobs;
  }

  private async login(): Promise<void> {
    const form = new URLSearchParams({
      username: this.credentials.user ?? '',
      password: this.credentials.password ?? '',
    });
    const response = await fetch(`${this.base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      redirect: 'manual',
    }).catch((err: Error) => {
      throw new ApiError(`cannot reach ${this.base}: ${err.message}`);
    });
    if (response.status >= 400)
      throw new ApiError(`login as ${this.credentials.user} refused (HTTP ${response.status})`);
    this.cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // Tickwork hands out a CSRF token for writes without a JSON body; ndscheduler has no such route.
    const session = await fetch(`${this.base}/api/v1/session`, { headers: { cookie: this.cookie } }).catch(() => null);
    if (session?.ok) this.csrfToken = ((await session.json()) as { csrf_token?: string }).csrf_token ?? undefined;
  }
}

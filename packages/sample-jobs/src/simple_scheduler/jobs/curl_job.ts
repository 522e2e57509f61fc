import { JobBase } from '@tickwork/sdk';

/**
 * Sends an HTTP request and returns the response body. Loopback, link-local and private addresses are
 * refused (JobBase.fetch) unless ALLOW_INTERNAL_URLS allows them.
 */
export class CurlJob extends JobBase {
  // It reaches any public URL the worker can (internal ones as ALLOW_INTERNAL_URLS allows): only admins may set
  // one up (see README, Authentication).
  static override requiredRole = 'admin' as const;

  static override metaInfo() {
    return {
      notes: 'Sends an HTTP request to a URL. The result is the response body.',
      arguments: [
        { type: 'string', description: 'URL, e.g. https://example.com/health' },
        { type: 'string', description: 'HTTP method: GET, POST, PUT, DELETE (default GET)' },
      ],
      example_arguments: '["https://example.com/", "GET"]',
    };
  }

  async run(url: unknown, method: unknown = 'GET'): Promise<string> {
    if (typeof url !== 'string') throw new Error('CurlJob needs a URL as its first argument');
    const response = await this.fetch(url, { method: String(method).toUpperCase() });
    const body = await response.text();
    if (!response.ok) throw new Error(`${String(method).toUpperCase()} ${url} answered ${response.status}: ${body}`);
    return body;
  }
}

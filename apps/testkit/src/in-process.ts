import { buildApp } from '@tickwork/api';
import type { TestEnvironment } from '@tickwork/testing';
import { TickworkWorker } from '@tickwork/worker';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface ApiClient {
  base: string;
  app: FastifyInstance;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
  body: any;
  text: string;
}

/** The real API, listening on a free loopback port, closed at teardown. */
export async function startApi(t: Teardown, environment: TestEnvironment): Promise<ApiClient> {
  const app = await buildApp(environment.config, { logger: { level: 'error' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    base,
    app,
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await fetch(base + path, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: tests see the text
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}

/** A worker inside the test process (fast to start), stopped at teardown. */
export async function startWorker(t: Teardown, environment: TestEnvironment): Promise<TickworkWorker> {
  const worker = await TickworkWorker.start(environment.config, pino({ level: 'error' }));
  t.teardown(() => worker.stop());
  return worker;
}

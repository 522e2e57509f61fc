import autocannon from 'autocannon';

export interface HttpLoadResult {
  requests_per_sec: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  requests: number;
  /** Answers outside 2xx, and connection errors or timeouts: a figure only counts when both are 0. */
  non_2xx: number;
  errors: number;
}

export interface HttpLoad {
  url: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  connections: number;
  /** For this long, or (for calls slow enough that a few tell all) this many requests. */
  durationSec?: number;
  requests?: number;
}

/** autocannon against one URL for a fixed time. */
export async function httpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: load.url,
    method: load.method ?? 'GET',
    connections: load.connections,
    ...(load.requests === undefined ? { duration: load.durationSec ?? 10 } : { amount: load.requests }),
    timeout: 300,
    ...(load.body === undefined
      ? {}
      : { body: JSON.stringify(load.body), headers: { 'content-type': 'application/json' } }),
  });
  return {
    // Over the whole run: autocannon's per-second average rounds a 2 s call down to 0 (so would one decimal).
    requests_per_sec: Math.round((result.requests.total / result.duration) * 100) / 100,
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    requests: result.requests.total,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Runs `count` async calls with at most `parallel` in flight. */
export async function inParallel(count: number, parallel: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) await call(next++);
    }),
  );
}

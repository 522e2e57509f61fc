import type { HistogramSnapshot, RunMetricsSnapshot } from '@tickwork/queue';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** What GET /metrics exposes: this API process's own figures and the fleet's, read from Redis. */
    metricsRegistry: Registry;
  }
}

/** A metric whose values come from elsewhere (the fleet's counters in Redis), in prom-client's shape. */
interface ExternalMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: 'sum';
    values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
  }>;
}

/** `read`, called at most once a second: the metrics of one scrape share one answer. */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

function histogramValues(name: string, histogram: HistogramSnapshot) {
  return [
    ...histogram.buckets.map((value, i) => ({
      metricName: `${name}_bucket`,
      labels: { le: i < histogram.bounds.length ? (histogram.bounds[i] as number) : '+Inf' },
      value,
    })),
    { metricName: `${name}_sum`, labels: {}, value: histogram.sum },
    { metricName: `${name}_count`, labels: {}, value: histogram.count },
  ];
}

/**
 * Prometheus figures. The API's own: request durations by route, process figures. The fleet's, the same from
 * whichever API is scraped: runs ended by state and job class, fire lateness and run duration (all added up
 * by the workers in Redis, see RunMetrics), queue depth and live workers.
 */
export default fp(
  async function metrics(app: FastifyInstance) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'tickwork_api_' });

    const requestDuration = new Histogram({
      name: 'tickwork_http_request_duration_seconds',
      help: 'API request durations, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      requestDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
        reply.elapsedTime / 1000,
      );
    });

    // One read of each source per scrape, shared by the metrics built on it.
    const fleet = perScrape(() => app.runMetrics.snapshot());
    const liveWorkers = perScrape(() => app.workerRegistry.list());
    const external = (
      name: string,
      help: string,
      type: ExternalMetric['type'],
      values: (snapshot: RunMetricsSnapshot) => Awaited<ReturnType<ExternalMetric['get']>>['values'],
    ): ExternalMetric => ({
      name,
      help,
      type,
      get: async () => ({ name, help, type, aggregator: 'sum', values: values(await fleet()) }),
    });
    for (const metric of [
      external('tickwork_executions_total', 'Runs ended, by state and job class (fleet-wide)', 'counter', (s) =>
        s.executions.map((e) => ({ labels: { state: e.state, job_class: e.job_class }, value: e.count })),
      ),
      external(
        'tickwork_fire_lateness_seconds',
        'How late fires started after their intended time (fleet-wide)',
        'histogram',
        (s) => histogramValues('tickwork_fire_lateness_seconds', s.lateness),
      ),
      external('tickwork_run_duration_seconds', 'How long runs took (fleet-wide)', 'histogram', (s) =>
        histogramValues('tickwork_run_duration_seconds', s.duration),
      ),
      external(
        'tickwork_store_commands_total',
        'Commands sent to the store, by command and collection (fleet-wide, from the driver)',
        'counter',
        (s) =>
          s.store_commands.map((c) => ({ labels: { command: c.command, collection: c.collection }, value: c.count })),
      ),
    ]) {
      // prom-client reads any object of this shape; its types only know its own classes.
      registry.registerMetric(metric as unknown as Gauge);
    }

    new Gauge({
      name: 'tickwork_queue_jobs',
      help: 'Entries in the run queues (the base one and those of worker tags), by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const queues = await app.runQueues.all();
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed')));
        const total: Record<string, number> = { waiting: 0, active: 0, delayed: 0 };
        for (const each of counts)
          for (const [state, count] of Object.entries(each)) total[state] = (total[state] ?? 0) + count;
        for (const [state, count] of Object.entries(total)) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'tickwork_workers',
      help: 'Live worker processes',
      registers: [registry],
      async collect() {
        this.set((await liveWorkers()).length);
      },
    });
    new Gauge({
      name: 'tickwork_runs_running',
      help: 'Runs executing now across the fleet',
      registers: [registry],
      async collect() {
        this.set((await liveWorkers()).reduce((sum, w) => sum + w.running, 0));
      },
    });

    app.decorate('metricsRegistry', registry);
  },
  { name: 'metrics', dependencies: ['fleet'] },
);

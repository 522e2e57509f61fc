import { type ProvidedService, provideThrowawayMongo, startRedisServer } from '@tickwork/local-services';
import { type TestEnvironment, testEnvironment } from '@tickwork/testing';
import type { Scope } from './scope.js';

/** Where progress goes: stderr, so that with --json the last line of stdout is the JSON alone. */
export function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * The benchmark's own services: a throw-away MongoDB-wire server — what npm start runs by default, FerretDB
 * on a private PostgreSQL cluster with fsync on as users get it (not the test suite's fsync-off one) — and a
 * redis-server of its own, so nothing else on the machine shares its Redis. Each scenario gets its own database and queue
 * prefix on them (the test helpers' environment), dropped when the scenario ends.
 */
export class BenchStack {
  private constructor(
    readonly mongo: ProvidedService,
    readonly redis: ProvidedService & { port: number },
    /** Each worker's WORKER_CONCURRENCY (and raw BullMQ's): the product's default unless an experiment. */
    readonly workerConcurrency: number,
  ) {}

  static async start(workerConcurrency = 10): Promise<BenchStack> {
    const log = (line: string) => say(line);
    const mongo = await provideThrowawayMongo(process.env, { durable: true, say: log, log });
    try {
      const redis = await startRedisServer({}, log);
      // The test helpers read where the services are from these.
      process.env.TICKWORK_TEST_MONGODB_URL = mongo.url;
      process.env.TICKWORK_TEST_REDIS_URL = redis.url;
      return new BenchStack(mongo, redis, workerConcurrency);
    } catch (err) {
      await mongo.stop();
      throw err;
    }
  }

  /**
   * A database and queue prefix of the scenario's own, with the product's defaults (not the tests' short
   * leases) and the benchmark's job classes loaded next to the samples.
   */
  environment(scope: Scope, overrides: Record<string, string> = {}): TestEnvironment {
    return testEnvironment(scope, {
      LOG_LEVEL: 'info',
      WORKER_HEARTBEAT_SEC: '10',
      EXECUTION_LEASE_SEC: '30',
      WORKER_SHUTDOWN_GRACE_SEC: '5',
      JOB_CLASS_PACKAGES: '@tickwork/sample-jobs,@tickwork/bench/jobs',
      WORKER_CONCURRENCY: String(this.workerConcurrency),
      ...overrides,
    });
  }

  async stop(): Promise<void> {
    await this.redis.stop().catch(() => undefined);
    await this.mongo.stop().catch(() => undefined);
  }
}

import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import {
  type LocalMongo,
  type ProvidedService,
  provideThrowawayMongo,
  startRedisServer,
} from '@tickwork/local-services';
import {
  NetworkHost,
  PrivateMongo,
  spawnApi,
  spawnWorker,
  type TestEnvironment,
  testEnvironment,
} from '@tickwork/testing';
import { Redis } from 'ioredis';

/** Where progress goes: stderr, so that with --json the last line of stdout is the JSON alone. */
export function say(message: string): void {
  process.stderr.write(`soak: ${message}\n`);
}

/** What the soak started, stopped in reverse order at the end. */
export class Teardowns {
  private readonly steps: Array<() => unknown> = [];

  teardown(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await Promise.resolve(step()).catch(() => undefined);
  }
}

/** Workers in network namespaces of their own (cuttable links) need root and iproute2, as the fault tests do. */
export function canUseNetworkHosts(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const START_DEADLINE_MS = 180_000;

/** An API or a worker process the soak can kill, pause and start again. */
export class FleetProcess {
  child: ChildProcess | undefined;
  paused = false;
  cut = false;

  constructor(
    readonly name: string,
    private readonly spawnIt: () => Promise<{ child: ChildProcess; base?: string }>,
    readonly host: NetworkHost | undefined,
  ) {}

  base: string | undefined;

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Alive, not paused and not cut off: can take runs. */
  get serving(): boolean {
    return this.alive && !this.paused && !this.cut;
  }

  /** Starts it, trying again while a fault (the store or Redis down) keeps it from coming up. */
  async start(): Promise<void> {
    // A process refuses to start while the store is down (up to 40 s here): longer than that is a finding.
    const deadline = Date.now() + START_DEADLINE_MS;
    for (;;) {
      try {
        const started = await this.spawnIt();
        this.child = started.child;
        this.base = started.base;
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        say(`${this.name} did not start (${(err as Error).message.split('\n')[0]}): trying again`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  kill(): void {
    if (this.paused) this.signal('SIGCONT');
    this.paused = false;
    this.child?.kill('SIGKILL');
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child?.kill(signal);
  }
}

export interface SoakSettings {
  /** EXECUTION_LEASE_SEC for every process: short, so that lost runs are noticed within the soak. */
  leaseSec: number;
}

/**
 * The soak's own services and fleet: a PostgreSQL cluster (the embedded store, fsync on), a FerretDB of its
 * own on it that the soak stops and starts, a redis-server of its own that it restarts empty, 2 APIs and 3
 * workers (each worker on a NetworkHost of its own when run as root).
 */
export class SoakFleet {
  readonly apis: FleetProcess[] = [];
  readonly workers: FleetProcess[] = [];
  redis!: ProvidedService & { port: number };
  mongo!: PrivateMongo;
  environment!: TestEnvironment;
  private cluster!: LocalMongo;
  readonly networkHosts: boolean;

  constructor(
    private readonly teardowns: Teardowns,
    private readonly settings: SoakSettings,
    readonly runLog: string,
  ) {
    this.networkHosts = canUseNetworkHosts();
  }

  async start(): Promise<void> {
    const quiet = () => {};
    const cluster = await provideThrowawayMongo(process.env, { durable: true, say, log: quiet });
    this.cluster = cluster;
    this.teardowns.teardown(() => cluster.stop());
    if (!cluster.postgresqlUrl) throw new Error('the soak needs the embedded PostgreSQL store (FerretDB on it)');
    process.env.TICKWORK_TEST_POSTGRESQL_URL = cluster.postgresqlUrl;
    const bind = this.networkHosts ? '0.0.0.0' : '127.0.0.1';
    this.mongo = await PrivateMongo.start(this.teardowns, { listenHost: bind });
    this.redis = await startRedisServer({ bind }, quiet);
    this.teardowns.teardown(() => this.redis.stop());
    process.env.TICKWORK_TEST_MONGODB_URL = this.mongo.url('soak');
    process.env.TICKWORK_TEST_REDIS_URL = this.redisUrl();
    this.environment = testEnvironment(this.teardowns, {
      MONGODB_URL: this.mongo.url('soak'),
      REDIS_URL: this.redisUrl(),
      LOG_LEVEL: 'warn',
      WORKER_HEARTBEAT_SEC: '2',
      EXECUTION_LEASE_SEC: String(this.settings.leaseSec),
      REAPER_INTERVAL_SEC: '2',
      RECONCILE_INTERVAL_SEC: '10',
      WORKER_SHUTDOWN_GRACE_SEC: '2',
      // Every fire counted: a fire that waited (no worker up) is recorded and run, not merged into the next.
      JOB_COALESCE: 'false',
      JOB_CLASS_PACKAGES: '@tickwork/sample-jobs,@tickwork/soak/jobs',
      JOB_ENV_PASSTHROUGH: 'SOAK_RUN_LOG',
      SOAK_RUN_LOG: this.runLog,
    });
    for (const i of [1, 2]) {
      const api = new FleetProcess(
        `api-${i}`,
        () => spawnApi(this.teardowns, this.environment, {}, { readyTimeoutMs: 120_000 }),
        undefined,
      );
      await api.start();
      this.apis.push(api);
    }
    for (const i of [1, 2, 3]) {
      const host = this.networkHosts ? NetworkHost.create(this.teardowns, `soak-worker-${i}`) : undefined;
      const env: Record<string, string> = host
        ? { MONGODB_URL: this.mongo.url('soak', host.gateway), REDIS_URL: this.redisUrl(host.gateway) }
        : {};
      const worker = new FleetProcess(
        `worker-${i}`,
        () => spawnWorker(this.teardowns, this.environment, env, host ? (argv) => host.command(argv) : undefined),
        host,
      );
      await worker.start();
      this.workers.push(worker);
    }
  }

  redisUrl(host = '127.0.0.1'): string {
    return `redis://${host}:${this.redis.port}`;
  }

  /** Restarts Redis empty (no persistence), on the same port: what a Redis without AOF does after a crash. */
  async restartRedis(downMs: number): Promise<void> {
    const port = this.redis.port;
    await this.redis.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.redis = await startRedisServer({ bind: this.networkHosts ? '0.0.0.0' : '127.0.0.1', port }, () => {});
  }

  /** Deletes every key under the soak's queue prefix (an operator's mistake, or a bad FLUSHALL). */
  async deletePrefix(): Promise<number> {
    const redis = new Redis(this.redisUrl(), { maxRetriesPerRequest: 3 });
    let deleted = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.environment.env.QUEUE_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return deleted;
  }

  get clusterSource(): string {
    return this.cluster.source;
  }
}

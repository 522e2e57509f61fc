import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  freePort,
  PRIVATE_POOL_MAX_CONNS,
  type ProvidedService,
  postgresDatabaseUrl,
  provideMongo,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from '@tickwork/local-services';

interface Teardown {
  teardown(fn: () => unknown): void;
}

const quiet = () => {};

/** Where a PrivateMongo keeps its data: a database of its own on the suite's PostgreSQL, or a directory. */
type Backing = { postgresqlUrl: string } | { dataDir: string };

/**
 * A MongoDB-wire server of one test's own, for faults the shared one must not suffer: the test stops it and
 * starts it again on the same port with the same data. On the suite's default store it is a FerretDB of its
 * own on a PostgreSQL database of its own in the suite's cluster (as npm start runs); otherwise (MONGODB_URL,
 * mongod, SQLite) a server with a temp directory. Removed at teardown.
 */
export class PrivateMongo {
  private server: ProvidedService | undefined;

  private constructor(
    readonly port: number,
    private readonly backing: Backing,
    private readonly listenHost: string,
  ) {}

  static async start(t: Teardown, options: { listenHost?: string } = {}): Promise<PrivateMongo> {
    const suitePostgresql = process.env.TICKWORK_TEST_POSTGRESQL_URL;
    let backing: Backing;
    let remove: () => Promise<void>;
    if (suitePostgresql) {
      const database = `private_${randomBytes(6).toString('hex')}`;
      await createPostgresDatabase(suitePostgresql, database);
      backing = { postgresqlUrl: postgresDatabaseUrl(suitePostgresql, database) };
      remove = () => dropPostgresDatabase(suitePostgresql, database);
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'tickwork-private-mongo-'));
      backing = { dataDir };
      remove = async () => rmSync(dataDir, { recursive: true, force: true });
    }
    const mongo = new PrivateMongo(await freePort(), backing, options.listenHost ?? '127.0.0.1');
    t.teardown(async () => {
      await mongo.stop();
      await remove();
    });
    await mongo.start();
    return mongo;
  }

  /** Its PostgreSQL database, when it stores there (the suite's default): for tests that look at the plans. */
  get postgresqlUrl(): string | undefined {
    return 'postgresqlUrl' in this.backing ? this.backing.postgresqlUrl : undefined;
  }

  /** The URL of a database on it, reached through `host`. */
  url(database: string, host = '127.0.0.1'): string {
    return `mongodb://${host}:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const store =
      'postgresqlUrl' in this.backing
        ? {
            ferretDbBackend: 'postgresql' as const,
            postgresqlUrl: this.backing.postgresqlUrl,
            poolMaxConns: PRIVATE_POOL_MAX_CONNS,
          }
        : { dataDir: this.backing.dataDir };
    this.server ??= await provideMongo({}, { ...store, port: this.port, listenHost: this.listenHost, log: quiet });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

/** A redis-server of one test's own (FLUSHALL it, cut it off), stopped at teardown. */
export async function startPrivateRedis(
  t: Teardown,
  options: { bind?: string } = {},
): Promise<{ port: number; url(host?: string): string }> {
  const server = await startRedisServer(options, quiet);
  t.teardown(() => server.stop());
  return { port: server.port, url: (host = '127.0.0.1') => `redis://${host}:${server.port}` };
}

/** A Sentinel watching a private Redis as `masterName`; its redis-sentinel:// URL for REDIS_URL. */
export async function startPrivateSentinel(
  t: Teardown,
  masterPort: number,
  masterName = 'tickwork',
): Promise<{ url: string }> {
  const sentinel = await startRedisSentinel({ masterPort, masterName }, quiet);
  t.teardown(() => sentinel.stop());
  return { url: `redis-sentinel://127.0.0.1:${sentinel.port}/${masterName}` };
}

/** A Redis Cluster of three primaries of one test's own; its redis-cluster:// URL for REDIS_URL. */
export async function startPrivateRedisCluster(t: Teardown): Promise<{ url: string }> {
  const cluster = await startRedisCluster(3, quiet);
  t.teardown(() => cluster.stop());
  return { url: cluster.url };
}

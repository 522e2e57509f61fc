import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  type ProvidedService,
  provideMongo,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from '@tickwork/local-services';

interface Teardown {
  teardown(fn: () => unknown): void;
}

const quiet = () => {};

/**
 * A MongoDB-wire server of one test's own, for faults the shared one must not suffer: the test stops it and
 * starts it again on the same port with the same data. Removed at teardown.
 */
export class PrivateMongo {
  private server: ProvidedService | undefined;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly listenHost: string,
  ) {}

  static async start(t: Teardown, options: { listenHost?: string } = {}): Promise<PrivateMongo> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwork-private-mongo-'));
    const mongo = new PrivateMongo(await freePort(), dataDir, options.listenHost ?? '127.0.0.1');
    t.teardown(async () => {
      await mongo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await mongo.start();
    return mongo;
  }

  /** The URL of a database on it, reached through `host`. */
  url(database: string, host = '127.0.0.1'): string {
    return `mongodb://${host}:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    this.server ??= await provideMongo(
      {},
      { dataDir: this.dataDir, port: this.port, listenHost: this.listenHost, log: quiet },
    );
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

import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { type Log, spawnService, stopChild, waitUntil } from './child-process.js';
import { freePort } from './free-port.js';
import type { ProvidedService } from './mongo-service.js';
import { which } from './which.js';

export async function redisAnswersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Redis: REDIS_URL when set; else 127.0.0.1:6379 when it answers; else `redis-server` from PATH on a free
 * port with a temp directory.
 */
export async function provideRedis(env: NodeJS.ProcessEnv, log: Log): Promise<ProvidedService> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'REDIS_URL', stop: async () => {} };
  const local = 'redis://127.0.0.1:6379';
  if (await redisAnswersPing(local)) return { url: local, source: 'redis on 127.0.0.1:6379', stop: async () => {} };

  return startRedisServer({}, log);
}

/**
 * A redis-server of our own (from PATH) with a temp directory and no persistence: a restart loses all, as
 * Redis without persistence does. `bind` defaults to 127.0.0.1; the URL returned names 127.0.0.1.
 */
export async function startRedisServer(
  options: { bind?: string; port?: number },
  log: Log,
): Promise<ProvidedService & { port: number }> {
  const server = which('redis-server', ['/usr/sbin', '/usr/local/bin']);
  if (!server) {
    throw new Error(
      'No Redis available: set REDIS_URL, start Redis on 127.0.0.1:6379, ' +
        'install it (apt-get install redis-server), or run `docker compose up redis`',
    );
  }
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'tickwork-redis-'));
  const bind = options.bind ?? '127.0.0.1';
  const child = spawnService(
    server,
    [
      '--port',
      String(port),
      '--bind',
      bind,
      '--protected-mode',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    log,
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil('redis-server', () => redisAnswersPing(url), 30_000);
  return {
    url,
    port,
    source: 'redis-server',
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis Sentinel (redis-server in sentinel mode, from PATH) watching the primary on 127.0.0.1:`masterPort`
 * under `masterName`. For testing REDIS_URL's redis-sentinel:// form.
 */
export async function startRedisSentinel(
  options: { masterPort: number; masterName: string },
  log: Log,
): Promise<ProvidedService & { port: number }> {
  const server = which('redis-server', ['/usr/sbin', '/usr/local/bin']);
  if (!server) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tickwork-sentinel-'));
  // Sentinel rewrites its config file, so it gets one of its own.
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${options.masterName} 127.0.0.1 ${options.masterPort} 1`,
      '',
    ].join('\n'),
  );
  const child = spawnService(server, [conf, '--sentinel'], log);
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil('redis sentinel', () => redisAnswersPing(url), 30_000);
  return {
    url,
    port,
    source: 'redis-sentinel',
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis Cluster of `masters` redis-servers (from PATH, no replicas, no persistence) on free ports, joined
 * with `redis-cli --cluster create`. For testing REDIS_URL's redis-cluster:// form.
 */
export async function startRedisCluster(masters: number, log: Log): Promise<ProvidedService> {
  const server = which('redis-server', ['/usr/sbin', '/usr/local/bin']);
  const cli = which('redis-cli', ['/usr/sbin', '/usr/local/bin']);
  if (!server || !cli) throw new Error('redis-server and redis-cli are needed (apt-get install redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'tickwork-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < masters; i++) {
    const port = await freePort();
    ports.push(port);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir);
    children.push(spawnService(server, args, log));
  }
  const stop = async () => {
    for (const child of children) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports)
      await waitUntil('redis-server', () => redisAnswersPing(`redis://127.0.0.1:${port}`), 30_000);
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await promisify(execFile)(cli, ['--cluster', 'create', ...nodes, '--cluster-yes']);
    const first = new Redis(ports[0] as number, '127.0.0.1', { lazyConnect: true });
    try {
      await waitUntil(
        'the cluster to agree',
        async () => /cluster_state:ok/.test(String(await first.call('CLUSTER', 'INFO'))),
        30_000,
      );
    } finally {
      first.disconnect();
    }
    return { url: `redis-cluster://${nodes.join(',')}`, source: 'redis cluster', stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '@tickwork/config';
import { spawnService, waitUntil } from './child-process.js';
import { ferretDbPoolSize } from './ferretdb-postgresql.js';
import { linePrinter } from './line-printer.js';
import { provideLocalMongo } from './local-mongo.js';
import type { ProvidedService } from './mongo-service.js';
import { LOCAL_DIR, REPO_ROOT } from './paths.js';
import { provideRedis } from './redis-service.js';
import { Supervisor } from './supervisor.js';

/** A MongoDB URL with a database name: ours when we provide the server, the user's when they gave one. */
function withDatabase(service: ProvidedService, name: string): string {
  return service.source === 'MONGODB_URL' ? service.url : `${service.url}/${name}`;
}

/** What only the API needs: the first admin's credentials and the key that signs sessions. */
const API_ONLY = ['SESSION_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'];

/**
 * The environment `npm start` gives a worker: the API's less what only the API uses. A worker never
 * signs a session or creates a user, and whatever it holds a job may one day get at.
 */
export function workerEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !API_ONLY.includes(name)));
}

/**
 * The key that signs sessions under `npm start` when SESSION_SECRET is not given: made once, kept in the
 * data dir (mode 0600) and reused, so that a first user added through the running API can log in at once
 * and sessions outlive a restart. Given to the API only. Production processes (Procfile, compose) have no
 * data dir of ours and still require SESSION_SECRET.
 */
export function localSessionSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  for (;;) {
    try {
      const kept = readFileSync(file, 'utf8').trim();
      if (kept.length >= 32) return kept;
      throw new Error(`${file} holds fewer than 32 characters: remove it, or set SESSION_SECRET`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another start made it first: read theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * `npm start`: provides MongoDB-wire and Redis when none are configured, starts the API and WORKERS worker
 * processes with prefixed logs and keeps them running (a Supervisor restarts one that dies), and on
 * SIGINT/SIGTERM stops every child and every service it started.
 */
export async function startLocalStack(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`tickwork: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const say = linePrinter('tickwork');
  const services: ProvidedService[] = [];
  let stopping = false;
  const supervisor = new Supervisor({
    say,
    giveUp: (name, _why, lastLines) => {
      if (lastLines.length) say(`${name}'s last lines:\n${lastLines.map((line) => `  ${line}`).join('\n')}`);
      say(`stopping everything: ${name} cannot be kept running`);
      void stopAll(1);
    },
  });

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    // Workers get their shutdown grace to finish runs before anything is forced.
    await supervisor.stop((config.workerShutdownGraceSec + 5) * 1000);
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    say('stopped');
    process.exit(code);
  };
  // SIGHUP too: a closed terminal no longer reaches the servers, which run in process groups of their own.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  const dataDir = resolve(env.TICKWORK_DATA_DIR ?? join(LOCAL_DIR, 'data'));
  try {
    const mongo = await provideLocalMongo(env, {
      dataDir,
      // Kept data: PostgreSQL's fsync and synchronous_commit stay on, nothing committed is lost.
      durable: true,
      poolMaxConns: ferretDbPoolSize({
        processes: 1 + config.workers,
        workers: config.workers,
        storeMaxConnections: config.storeMaxConnections,
        workerConcurrency: config.workerConcurrency,
      }),
      log: linePrinter('mongo'),
      postgresLog: linePrinter('postgres'),
      say,
    });
    services.push(mongo);
    say(`MongoDB-wire: ${mongo.source}, at ${mongo.url}`);
    const redis = await provideRedis(env, linePrinter('redis'));
    services.push(redis);
    say(`Redis: ${redis.source} at ${redis.url}`);

    const childEnv = {
      ...env,
      MONGODB_URL: withDatabase(mongo, 'tickwork'),
      REDIS_URL: redis.url,
      SEED_DEMO_JOB: env.SEED_DEMO_JOB ?? 'true',
      SESSION_SECRET: env.SESSION_SECRET || localSessionSecret(dataDir),
    };
    if (!env.SESSION_SECRET) say(`sessions signed with the key kept in ${join(dataDir, 'session-secret')}`);
    const launch = (name: string, script: string, env: NodeJS.ProcessEnv) => {
      const print = linePrinter(name);
      supervisor.add(name, (record) =>
        spawnService(
          process.execPath,
          [join(REPO_ROOT, script)],
          (line) => {
            print(line);
            record(line);
          },
          { env },
        ),
      );
    };
    launch('api', 'apps/api/dist/server.js', childEnv);
    for (let i = 1; i <= config.workers; i++) {
      launch(`worker-${i}`, 'apps/worker/dist/main.js', workerEnvironment(childEnv));
    }

    const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    // Any answer below 500 means it is up: with users, /api/v1/jobs answers this anonymous probe with 401.
    await waitUntil('the API', async () => (await fetch(`${base}/api/v1/jobs`)).status < 500, 60_000);
    say(`Tickwork is up: ${base} (API at ${base}/api/v1/jobs). Ctrl-C stops it.`);
  } catch (err) {
    say(`could not start: ${(err as Error).message}`);
    await stopAll(1);
  }
}

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { linePrinter } from './line-printer.js';
import { type ProvidedService, provideMongo } from './mongo-service.js';
import { REPO_ROOT } from './paths.js';
import { provideRedis } from './redis-service.js';

const LOCAL_POSTGRESQL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A throw-away MongoDB-wire server for the test suite and the benchmarks. FerretDB prefers the PostgreSQL
 * backend when a PostgreSQL answers on 127.0.0.1:5432: measured here
 * (packages/local-services/bench/ferretdb-backends.ts) it updates ~75x and reads ~4x faster than SQLite.
 * Each test database becomes a schema there and is dropped at teardown. Else SQLite in a temp dir.
 */
export async function provideThrowawayMongo(env: NodeJS.ProcessEnv): Promise<ProvidedService> {
  const log = linePrinter('mongo');
  const chosen = env.FERRETDB_BACKEND;
  if (chosen === 'sqlite' || env.MONGODB_URL) return provideMongo(env, { ferretDbBackend: 'sqlite', log });
  const postgresqlUrl = env.FERRETDB_POSTGRESQL_URL ?? LOCAL_POSTGRESQL;
  if (chosen === 'postgresql') return provideMongo(env, { ferretDbBackend: 'postgresql', postgresqlUrl, log });
  if (await tcpAnswers('127.0.0.1', 5432)) {
    try {
      return await provideMongo(env, { ferretDbBackend: 'postgresql', postgresqlUrl, readyTimeoutMs: 15_000, log });
    } catch (err) {
      log(`PostgreSQL backend unavailable (${(err as Error).message}); using SQLite`);
    }
  }
  return provideMongo(env, { ferretDbBackend: 'sqlite', log });
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * `npm test`: provides throw-away services, runs tap with them (each test file then makes its own database
 * and queue prefix from these URLs), stops the services, and exits with tap's code.
 */
export async function runTestSuite(tapArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const services: ProvidedService[] = [];
  try {
    const mongo = await provideThrowawayMongo(env);
    services.push(mongo);
    const redis = await provideRedis(env, linePrinter('redis'));
    services.push(redis);
    console.log(`test services: ${mongo.source} at ${mongo.url}; ${redis.source} at ${redis.url}`);
    const tap = join(REPO_ROOT, 'node_modules', '.bin', 'tap');
    return await new Promise<number>((resolve, reject) => {
      // tap and every process a test starts share one process group of their own: a test file tap kills on
      // timeout cannot leave its workers and APIs running (and loading the machine) after the suite.
      const child = spawn(tap, tapArgs, {
        cwd: REPO_ROOT,
        stdio: 'inherit',
        detached: true,
        env: { ...env, TICKWORK_TEST_MONGODB_URL: mongo.url, TICKWORK_TEST_REDIS_URL: redis.url },
      });
      const group = -(child.pid as number);
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(group, signal);
        } catch {
          // the group is gone already
        }
      };
      const forward = (signal: NodeJS.Signals) => () => signalGroup(signal);
      const onInt = forward('SIGINT');
      const onTerm = forward('SIGTERM');
      process.on('SIGINT', onInt).on('SIGTERM', onTerm);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        process.off('SIGINT', onInt).off('SIGTERM', onTerm);
        signalGroup('SIGKILL');
        resolve(code ?? (signal ? 1 : 0));
      });
    });
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
  }
}

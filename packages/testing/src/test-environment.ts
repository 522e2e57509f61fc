import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '@tickwork/config';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';

export interface TestEnvironment {
  /** Environment variables for processes of this test file (own database, own queue prefix). */
  env: Record<string, string>;
  config: Config & { mongodbUrl: string; redisUrl: string };
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * A database and a BullMQ prefix of this test file's own, on the services `npm test` provides; both are
 * dropped at teardown, so parallel test files never see each other's data.
 */
export function testEnvironment(t: Teardown, overrides: Record<string, string> = {}): TestEnvironment {
  const mongoBase = process.env.TICKWORK_TEST_MONGODB_URL;
  const redisUrl = process.env.TICKWORK_TEST_REDIS_URL;
  if (!mongoBase || !redisUrl) {
    throw new Error('TICKWORK_TEST_MONGODB_URL and TICKWORK_TEST_REDIS_URL are unset: run the suite with `npm test`');
  }
  const id = randomBytes(6).toString('hex');
  const database = `t_${id}`;
  const prefix = `tw_${id}`;
  const env: Record<string, string> = {
    MONGODB_URL: `${mongoBase.replace(/\/$/, '')}/${database}`,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    WORKER_HEARTBEAT_SEC: '1',
    EXECUTION_LEASE_SEC: '10',
    WORKER_SHUTDOWN_GRACE_SEC: '2',
    ...overrides,
  };
  const config = loadConfig(env) as TestEnvironment['config'];
  t.teardown(async () => {
    // A test on a private server (PrivateMongo) has its data removed with the server.
    if (!overrides.MONGODB_URL) {
      const connection = mongoose.createConnection(env.MONGODB_URL as string, { serverSelectionTimeoutMS: 5000 });
      await connection.asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  });
  return { env, config };
}

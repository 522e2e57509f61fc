export { ensureFerretDb, FERRETDB_BINARY } from './ferretdb-binary.js';
export { ferretDbPoolSize, ferretDbPostgresqlUrl } from './ferretdb-postgresql.js';
export { freePort } from './free-port.js';
export { type LocalMongo, provideLocalMongo, SQLITE_COST } from './local-mongo.js';
export { startLocalStack, workerEnvironment } from './local-stack.js';
export { mongoAnswersPing, type ProvidedService, provideMongo } from './mongo-service.js';
export { LOCAL_DIR, REPO_ROOT } from './paths.js';
export {
  createPostgresDatabase,
  dropPostgresDatabase,
  postgresDatabaseUrl,
  startPostgresCluster,
  withPostgres,
} from './postgres-cluster.js';
export {
  provideRedis,
  redisAnswersPing,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from './redis-service.js';
export {
  PRIVATE_POOL_MAX_CONNS,
  provideThrowawayMongo,
  runTestSuite,
  TEST_POOL_MAX_CONNS,
} from './test-services.js';

export { ensureFerretDb, FERRETDB_BINARY } from './ferretdb-binary.js';
export { freePort } from './free-port.js';
export { startLocalStack, workerEnvironment } from './local-stack.js';
export { mongoAnswersPing, type ProvidedService, provideMongo } from './mongo-service.js';
export { LOCAL_DIR, REPO_ROOT } from './paths.js';
export {
  provideRedis,
  redisAnswersPing,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from './redis-service.js';
export { provideThrowawayMongo, runTestSuite } from './test-services.js';

export type { Config } from './config.js';
export { ConfigError } from './config-error.js';
export type { Field } from './fields.js';
export {
  loadConfig,
  loadServiceConfig,
  loadServiceConfigOrExit,
  readVariable,
  storeMaxConnections,
} from './load-config.js';
export {
  parseRedisClusterUrl,
  parseRedisSentinelUrl,
  type RedisClusterTarget,
  type RedisSentinelTarget,
} from './redis-url.js';
export { SECTIONS } from './sections.js';
export { type SignalTarget, type StopLog, type StopOnSignalsOptions, stopOnSignals } from './stop-on-signals.js';
export type { Reader, Variable } from './variable.js';
export { SECRET_VARIABLES, VARIABLES } from './variables.js';

import type { Config } from './config.js';
import { ConfigError } from './config-error.js';
import { CROSS_CHECKS } from './cross-checks.js';
import { VARIABLES } from './variables.js';

type Env = Record<string, string | undefined>;

/**
 * Tickwork's configuration, read from the environment and validated once at start: each row of VARIABLES in
 * turn, then the rules across them. Every error names the variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const config: Record<string, unknown> = {};
  for (const variable of VARIABLES) {
    if ('key' in variable) config[variable.key] = variable.field.parse(env[variable.env], variable.env);
  }
  for (const check of CROSS_CHECKS) check(config as Config);
  return config as Config;
}

/** One variable read and checked alone, for code that needs it without the whole configuration. */
export function readVariable<K extends keyof Config>(key: K, env: Env = process.env): Config[K] {
  const variable = VARIABLES.find((row) => 'key' in row && row.key === key);
  if (!variable) throw new Error(`no configuration variable has the key ${key}`);
  return variable.field.parse(env[variable.env], variable.env) as Config[K];
}

/**
 * STORE_MAX_CONNECTIONS: the MongoDB driver's maxPoolSize in each process, so at most this many store
 * operations of one process are at the server at once; more wait their turn in the driver. Store.open reads
 * it, so every process honours it; loadConfig checks it at start. On FerretDB the fleet's total must stay
 * well below the server's PostgreSQL pool (README, "Development").
 */
export function storeMaxConnections(env: Env = process.env): number {
  return readVariable('storeMaxConnections', env);
}

/** Like loadConfig, but a missing MongoDB or Redis URL is an error: for processes that connect. */
export function loadServiceConfig(env: Env = process.env): Config & { mongodbUrl: string; redisUrl: string } {
  const config = loadConfig(env);
  if (!config.mongodbUrl) throw new ConfigError('MONGODB_URL', 'is required (npm start provides one when unset)');
  if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'is required (npm start provides one when unset)');
  return config as Config & { mongodbUrl: string; redisUrl: string };
}

/** For a process's entry point: the service config, or a one-line error naming the variable and exit 2. */
export function loadServiceConfigOrExit(app: string, env: Env = process.env): ReturnType<typeof loadServiceConfig> {
  try {
    return loadServiceConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`tickwork ${app}: configuration error: ${err.message}`);
    process.exit(2);
  }
}

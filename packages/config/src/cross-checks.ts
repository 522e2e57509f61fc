import type { Config } from './config.js';
import { ConfigError } from './config-error.js';

/** Rules that tie variables together, checked in this order once each variable has been read on its own. */
export const CROSS_CHECKS: ReadonlyArray<(config: Config) => void> = [
  ({ redisUrl, queuePrefix }) => {
    // A cluster spreads keys over nodes by hash; BullMQ's scripts and ours need all of a queue's keys on one,
    // which a {hash tag} in the prefix guarantees.
    if (redisUrl?.startsWith('redis-cluster://') && !/\{[^{}]+\}/.test(queuePrefix)) {
      throw new ConfigError('QUEUE_PREFIX', `must hold a {hash tag} with a Redis Cluster, e.g. {${queuePrefix}}`);
    }
  },
  ({ adminUsername, adminPassword, sessionSecret }) => {
    if (adminUsername !== undefined && adminPassword === undefined) {
      throw new ConfigError('ADMIN_PASSWORD', 'is required when ADMIN_USERNAME is set');
    }
    if (adminPassword !== undefined && adminUsername === undefined) {
      throw new ConfigError('ADMIN_USERNAME', 'is required when ADMIN_PASSWORD is set');
    }
    if (adminUsername !== undefined && sessionSecret === undefined) {
      // The admin turns authentication on, and sessions must be signed with a secret of the operator's own.
      throw new ConfigError('SESSION_SECRET', 'is required when ADMIN_USERNAME is set (at least 32 characters)');
    }
  },
  ({ executionLeaseSec, workerHeartbeatSec }) => {
    if (executionLeaseSec < 2 * workerHeartbeatSec) {
      // A lease renewed every heartbeat must survive one late heartbeat.
      throw new ConfigError(
        'EXECUTION_LEASE_SEC',
        `must be at least twice WORKER_HEARTBEAT_SEC (${workerHeartbeatSec})`,
      );
    }
  },
  ({ connectionTimeoutSec, requestTimeoutSec }) => {
    if (connectionTimeoutSec <= requestTimeoutSec) {
      // Else a silent request would be cut off without the 408 that says why.
      throw new ConfigError('CONNECTION_TIMEOUT_SEC', `must be more than REQUEST_TIMEOUT_SEC (${requestTimeoutSec})`);
    }
  },
];

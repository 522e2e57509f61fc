export * from './instance-limiter.js';
export * from './queue-names.js';
export * from './redis-connection.js';
export * from './repeat-strategy.js';
export * from './run-control-channel.js';
export * from './run-queue.js';
export * from './scheduler-mirror.js';
export * from './worker-registry.js';

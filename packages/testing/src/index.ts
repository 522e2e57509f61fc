export type { ApiConfig } from '@tickwork/api';
export * from './job-runs.js';
export * from './network-host.js';
export * from './private-services.js';
export * from './processes.js';
export * from './raw-http.js';
export * from './running-stack.js';
export * from './test-environment.js';
export * from './wait-for.js';

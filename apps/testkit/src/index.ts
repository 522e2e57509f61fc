export type { ApiConfig } from '@tickwork/api';
export * from './in-process.js';
export * from './job-runs.js';

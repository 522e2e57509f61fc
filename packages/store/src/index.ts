export type { AuditLogDocument } from './models/audit-log-model.js';
export type { ExecutionDocument, ExecutionJobSnapshot } from './models/execution-model.js';
export type { JobDocument } from './models/job-model.js';
export * from './repositories/audit-log-repository.js';
export * from './repositories/execution-repository.js';
export * from './repositories/job-repository.js';
export { Store } from './store.js';

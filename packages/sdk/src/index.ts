export * from './job-base.js';
export * from './job-class-registry.js';
export * from './outbound.js';

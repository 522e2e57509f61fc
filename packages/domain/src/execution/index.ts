export * from './admission.js';
export * from './entries.js';
export * from './execution.js';
export * from './fire-id.js';
export * from './ledger-entry.js';
export * from './outcome.js';
export * from './time-buckets.js';
export * from './transitions.js';

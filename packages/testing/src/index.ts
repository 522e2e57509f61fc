export * from './app-processes.js';
export * from './network-host.js';
export * from './private-services.js';
export * from './processes.js';
export * from './raw-http.js';
export * from './test-environment.js';
export * from './wait-for.js';

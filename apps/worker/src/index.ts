export { RunHandler } from './run-handler.js';
export { TickworkWorker, type WorkerConfig } from './tickwork-worker.js';

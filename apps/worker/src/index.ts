export { RunRecorder } from './run-recorder.js';
export { TickworkWorker, type WorkerConfig } from './tickwork-worker.js';

import { ConfigError, loadServiceConfigOrExit, stopOnSignals } from '@tickwork/config';
import { pino } from 'pino';
import { TickworkWorker } from './tickwork-worker.js';

const config = loadServiceConfigOrExit('worker');

const logger = pino({ level: config.logLevel, base: { app: 'worker' } });
const worker = await TickworkWorker.start(config, logger).catch((err) => {
  if (!(err instanceof ConfigError)) throw err;
  // What only the worker can check (JOB_RUN_AS), said like loadServiceConfigOrExit says the rest.
  console.error(`tickwork worker: configuration error: ${err.message}`);
  process.exit(2);
});

stopOnSignals({
  close: () => worker.stop(),
  log: logger,
  // The stop takes the grace for runs and as much again for their final writes; past that, something
  // hangs (a dependency that never answers) and leaving beats hanging on: the reaper closes out the rest.
  graceMs: (2 * config.workerShutdownGraceSec + 15) * 1000,
});

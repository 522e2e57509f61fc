import { ConfigError, loadServiceConfig } from '@tickwork/config';
import { pino } from 'pino';
import { TickworkWorker } from './tickwork-worker.js';

let config: ReturnType<typeof loadServiceConfig>;
try {
  config = loadServiceConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`tickwork worker: configuration error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

const logger = pino({ level: config.logLevel, base: { app: 'worker' } });
const worker = await TickworkWorker.start(config, logger);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    worker.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  });
}

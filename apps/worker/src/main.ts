import { loadServiceConfigOrExit } from '@tickwork/config';
import { pino } from 'pino';
import { TickworkWorker } from './tickwork-worker.js';

const config = loadServiceConfigOrExit('worker');

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

import { loadServiceConfigOrExit } from '@tickwork/config';
import { buildApp } from './app.js';
import { StartupRefused } from './errors/startup-refused.js';

const config = loadServiceConfigOrExit('api');

const app = await buildApp(config);
try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  if (!(err instanceof StartupRefused)) throw err;
  console.error(`tickwork api: refusing to start: ${err.message}`);
  await app.close().catch(() => undefined);
  process.exit(2);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  });
}

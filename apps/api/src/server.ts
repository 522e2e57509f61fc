import { loadServiceConfigOrExit } from '@tickwork/config';
import { buildApp } from './app.js';

const config = loadServiceConfigOrExit('api');

const app = await buildApp(config);
await app.listen({ host: config.host, port: config.port });

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

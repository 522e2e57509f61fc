import { loadServiceConfigOrExit, stopOnSignals } from '@tickwork/config';
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

// No grace of its own: closing waits for requests in flight and a reconcile pass under way, and each of its
// other passes for 5 s at most.
stopOnSignals({ close: () => app.close(), log: app.log });

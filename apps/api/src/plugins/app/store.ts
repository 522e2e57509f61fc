import type { Config } from '@tickwork/config';
import { Store } from '@tickwork/store';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

/** The MongoDB store (source of truth), opened at boot and closed with the app. */
export default fp(
  async function store(app: FastifyInstance, opts: { config: Config & { mongodbUrl: string } }) {
    // A request must not hang on a MongoDB outage: give up server selection after 5 s and answer 503.
    const opened = await Store.open(opts.config.mongodbUrl, { serverSelectionTimeoutMS: 5000 });
    app.decorate('store', opened);
    app.addHook('onClose', async () => opened.close());
  },
  { name: 'store' },
);

import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** One reconcile pass now: BullMQ's schedulers made to match the active jobs in MongoDB. */
    reconcileSchedulers(): Promise<void>;
  }
}

/**
 * Rebuilds the scheduler mirror from MongoDB at start and every RECONCILE_INTERVAL_SEC, so a mirror write
 * that failed heals without a restart. A lost or flushed Redis is noticed sooner: every few seconds one
 * cheap check looks for the mark the last pass left, and reconciles at once when it is gone.
 */
const REDIS_LOSS_CHECK_MS = 5000;

export default fp(
  async function reconciler(app: FastifyInstance, opts: { config: Config }) {
    let running: Promise<void> | undefined;
    const pass = async () => {
      const report = await app.schedulerMirror.reconcile(await app.store.jobs.listActive());
      if (report && (report.upserted || report.removed)) app.log.info(report, 'schedulers reconciled');
    };
    app.decorate('reconcileSchedulers', () => {
      running ??= pass().finally(() => {
        running = undefined;
      });
      return running;
    });
    let timer: NodeJS.Timeout | undefined;
    let lossCheck: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await app.reconcileSchedulers();
      timer = setInterval(() => {
        app.reconcileSchedulers().catch((err) => app.log.warn({ err }, 'reconcile failed'));
      }, opts.config.reconcileIntervalSec * 1000);
      timer.unref();
      lossCheck = setInterval(() => {
        app.schedulerMirror
          .isIntact()
          .then((intact) => {
            if (intact) return;
            app.log.warn('Redis lost the job schedulers; rebuilding them from MongoDB');
            return app.reconcileSchedulers();
          })
          .catch((err) => app.log.warn({ err }, 'reconcile after Redis loss failed'));
      }, REDIS_LOSS_CHECK_MS);
      lossCheck.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      clearInterval(lossCheck);
      await running?.catch(() => undefined);
    });
  },
  { name: 'reconciler', dependencies: ['store', 'queue'] },
);

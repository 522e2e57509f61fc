import type { Config } from '@tickwork/config';
import { ExecutionState } from '@tickwork/domain';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** One pass now: runs whose worker stopped renewing their lease are closed out. Returns how many. */
    reapExpiredRuns(): Promise<number>;
  }
}

/**
 * No execution stays `running` forever: a worker renews the lease of each run it holds every heartbeat, and
 * this pass (every REAPER_INTERVAL_SEC) closes out the runs whose lease ran out — `failed` naming the lost host
 * and pid, or `stopped` when a stop had been asked. Each update is fenced by the attempt token, so several API
 * processes may reap at once and a late worker cannot undo it.
 */
export default fp(
  async function executionReaper(app: FastifyInstance, opts: { config: Config }) {
    app.decorate('reapExpiredRuns', async () => {
      const now = new Date();
      let reaped = 0;
      for (const run of await app.store.executions.listExpiredLeases(now)) {
        const lost = `lost worker ${run.hostname} pid ${run.pid}: no heartbeat since ${run.lease_until?.toISOString()}`;
        const stopping = run.state === ExecutionState.stopping;
        const closed = await app.store.executions.transition(
          run._id,
          [run.state],
          {
            state: stopping ? ExecutionState.stopped : ExecutionState.failed,
            description: lost,
            lease_until: null,
          },
          run.attempt,
        );
        if (closed) {
          reaped++;
          app.log.warn({ execution_id: run._id, job_id: run.job_id }, lost);
        }
      }
      return reaped;
    });
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        app.reapExpiredRuns().catch((err) => app.log.warn({ err }, 'reaping expired runs failed'));
      }, opts.config.reaperIntervalSec * 1000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'execution-reaper', dependencies: ['store'] },
);

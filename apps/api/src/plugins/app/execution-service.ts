import type { Config } from '@tickwork/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ExecutionService } from '../../services/execution-service.js';
import { ExecutionWindow } from '../../services/execution-window.js';

declare module 'fastify' {
  interface FastifyInstance {
    executionService: ExecutionService;
    /** Recent executions in memory, fresh through Redis; null when EXECUTION_WINDOW_HOURS is 0. */
    executionWindow: ExecutionWindow | null;
  }
}

export default fp(
  async function executionService(app: FastifyInstance, opts: { config: Config }) {
    app.decorate('executionService', new ExecutionService(app.store, app.ledger, app.runOutput));
    const { executionWindowHours: hours, executionWindowMax: max } = opts.config;
    const window =
      hours > 0
        ? new ExecutionWindow(
            app.fleet.feed,
            app.executionHistory,
            { spanMs: hours * 3_600_000, maxExecutions: max },
            app.log,
          )
        : null;
    app.decorate('executionWindow', window);
    app.addHook('onReady', async () => window?.start());
  },
  { name: 'execution-service', dependencies: ['fleet'] },
);

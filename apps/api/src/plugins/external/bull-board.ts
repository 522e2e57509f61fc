import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board, read-only, at /admin/queues with its assets served from the package. Its routes declare no
 * access level, so access control gives them the strictest one: admins only.
 */
export default fp(
  async function bullBoard(app: FastifyInstance) {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    // The base run queue and those of the worker tag sets in use at start (a tag set first used later shows
    // after a restart).
    const queues = await app.runQueues.all().catch(() => [app.runQueue]);
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Tickwork' } },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  },
  { name: 'bull-board', dependencies: ['fleet', 'access-control'] },
);

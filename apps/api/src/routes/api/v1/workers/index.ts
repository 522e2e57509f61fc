import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** /api/v1/workers: the live workers; one that stops its heartbeat drops out when its registry key expires. */
const workers: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { access: 'viewer' } }, async () => ({ workers: await app.workerRegistry.list() }));
};

export default workers;

import type { FastifyPluginAsync } from 'fastify';
import { healthzSchema, readyzSchema } from './schema.js';

const CHECK_TIMEOUT_MS = 2000;

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For orchestrators, open without login: /healthz says the process serves requests; /readyz that MongoDB
 * and Redis answer too (503 naming what does not, within a few seconds, so a probe never hangs).
 */
const health: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: healthzSchema, config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: readyzSchema, config: { access: 'public' } }, async (_request, reply) => {
    const [mongodb, redis] = await Promise.all([answers(() => app.store.ping()), answers(() => app.redis.ping())]);
    const checks = { mongodb: mongodb ? 'ok' : 'unavailable', redis: redis ? 'ok' : 'unavailable' };
    if (mongodb && redis) return { status: 'ready', ...checks };
    const down = Object.entries(checks)
      .filter(([, state]) => state !== 'ok')
      .map(([name]) => name);
    return reply.code(503).send({ error: `not ready: ${down.join(' and ')} unavailable`, ...checks });
  });
};

export default health;

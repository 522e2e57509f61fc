import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ExecutionService } from '../../services/execution-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    executionService: ExecutionService;
  }
}

export default fp(
  async function executionService(app: FastifyInstance) {
    app.decorate('executionService', new ExecutionService(app.store, app.redis, app.runControl, app.runOutput));
  },
  { name: 'execution-service', dependencies: ['store', 'queue'] },
);

import { ValidationError } from '@tickwork/domain';
import { Store } from '@tickwork/store';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors/api-error.js';
import { validationMessage } from '../../errors/validation-message.js';

/**
 * Every error leaves as `{"error": "..."}`: client mistakes as 4xx naming the problem, anything else as
 * 500 "server side error" (ndscheduler's words) with the detail only in the log — never a stack trace.
 */
export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        return reply.code(400).send({ error: validationMessage(error.validation, error.validationContext) });
      }
      if (error instanceof ApiError)
        return reply.code(error.statusCode).headers(error.headers).send({ error: error.message });
      if (error instanceof ValidationError) return reply.code(400).send({ error: error.message });
      if (Store.isUnavailable(error)) {
        request.log.warn({ err: error }, 'MongoDB unavailable');
        return reply.code(503).header('retry-after', '5').send({ error: 'database unavailable, try again shortly' });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.code(status).send({ error: clientMessage(error) });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'server side error' });
    });

    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ error: `Not found: ${request.method} ${request.url.split('?')[0]}` });
    });
  },
  { name: 'error-handler' },
);

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return `malformed JSON body: ${error.message}`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body is too large';
    default:
      return error instanceof SyntaxError ? `malformed JSON body: ${error.message}` : error.message;
  }
}

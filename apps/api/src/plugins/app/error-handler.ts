import type { IncomingMessage } from 'node:http';
import { ValidationError } from '@tickwork/domain';
import { Store } from '@tickwork/store';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors/api-error.js';
import { validationMessage } from '../../errors/validation-message.js';

/**
 * How much of a too-large body is read and thrown away after its 413, so that the client, which may still be
 * sending, reads the answer: closing with its bytes unread makes the kernel reset the connection, and a
 * client that sends the whole body before reading (Python's requests and urllib) then sees only the reset.
 * Past this, or REQUEST_TIMEOUT_SEC, the connection is closed.
 */
export const MAX_DRAINED_BODY_BYTES = 64 * 1024 * 1024;

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
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        // Fastify asks to close at once; the rest of the body is read instead, the connection kept.
        reply.removeHeader('connection');
        drainBody(request.raw, MAX_DRAINED_BODY_BYTES);
      }
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

/** Reads and discards what is left of `request`'s body; past `maxBytes`, closes its connection. */
function drainBody(request: IncomingMessage, maxBytes: number): void {
  if (request.complete) return;
  let drained = 0;
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > maxBytes) request.socket.destroy();
  });
  request.resume();
}

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

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * JSON bodies through Fastify's own (prototype-poisoning-safe) parser, except that an empty body counts as
 * no body: ndscheduler's clients send PATCH/PUT/OPTIONS with a JSON content type and nothing in it.
 */
export default fp(
  async function jsonBody(app: FastifyInstance) {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
      const wrapped = (err: Error | null, value?: unknown) => {
        if (err) {
          const error = new Error(`malformed JSON body: ${err.message}`) as Error & { statusCode: number };
          error.statusCode = 400;
          return done(error, undefined);
        }
        done(null, value);
      };
      parse(request, String(body), wrapped);
    });
  },
  { name: 'json-body' },
);

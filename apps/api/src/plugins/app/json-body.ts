import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function badBody(message: string): Error & { statusCode: number } {
  const error = new Error(`malformed JSON body: ${message}`) as Error & { statusCode: number };
  error.statusCode = 400;
  return error;
}

/**
 * JSON bodies through Fastify's own (prototype-poisoning-safe) parser, except that an empty body counts as
 * no body (ndscheduler's clients send PATCH/PUT/OPTIONS with a JSON content type and nothing in it), and a
 * body that is not UTF-8 is refused rather than stored with its bad bytes turned into U+FFFD.
 */
export default fp(
  async function jsonBody(app: FastifyInstance) {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(badBody('it is not valid UTF-8'), undefined);
      }
      if (text.trim() === '') return done(null, undefined);
      parse(request, text, (err: Error | null, value?: unknown) =>
        err ? done(badBody(err.message), undefined) : done(null, value),
      );
    });
  },
  { name: 'json-body' },
);

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Fastify's clientErrorHandler, for what Node refuses before any route sees it: a request not received
 * within REQUEST_TIMEOUT_SEC (a body announced and never sent), headers too large, bytes that are not
 * HTTP. Answered as every other error, `{"error": "..."}` naming the problem, then the connection is closed
 * (what is left of such a request cannot be told from the next one).
 */
export function clientErrorHandler(requestTimeoutSec: number) {
  return function onClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, error] = describe(err, requestTimeoutSec);
    this.log.debug({ err, status }, 'client error');
    // An answer already begun on this connection cannot be followed by another one (Node's own rule).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify({ error });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

function describe(err: NodeJS.ErrnoException & { reason?: string }, requestTimeoutSec: number): [number, string] {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        `request timeout: the request, headers and body, did not arrive within ${requestTimeoutSec} s (REQUEST_TIMEOUT_SEC)`,
      ];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'the request headers are too large'];
    default:
      return [400, `malformed HTTP request${err.reason ? `: ${err.reason}` : ''}`];
  }
}

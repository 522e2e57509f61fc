import { connect } from 'node:net';

/** What came back on a raw HTTP connection, read until the server closed it. */
export interface RawAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number;
  /** Header names lowercased. */
  headers: Record<string, string>;
  text: string;
  /** The JSON the server answered, or the text when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
  body: any;
  /** Milliseconds from the last byte sent to the server closing the connection. */
  closedAfterMs: number;
}

/**
 * Sends `request` byte for byte to the server at `base` (http://host:port) on a connection of its own, and
 * reads until the server closes it (send `Connection: close`, or HTTP/1.0, for the server to close after its
 * answer); fails at `deadlineMs` with what it got by then. For what fetch and node:http will not send: no
 * Host, HTTP/1.0, stray bytes in headers, a body that never comes.
 */
export function rawHttp(base: string, request: string | Buffer, deadlineMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sentAt = Date.now();
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no close within ${deadlineMs} ms; received: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`,
        ),
      );
    }, deadlineMs);
    socket.on('connect', () => socket.write(request, () => (sentAt = Date.now())));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after an answer still leaves the answer to read.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseResponse(Buffer.concat(chunks)), closedAfterMs: Date.now() - sentAt });
    });
  });
}

function parseResponse(raw: Buffer): Omit<RawAnswer, 'closedAfterMs'> {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, text: raw.toString('utf8'), body: undefined };
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = raw.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') rest = unchunk(rest);
  else if (headers['content-length'] !== undefined) rest = rest.subarray(0, Number(headers['content-length']));
  const text = rest.toString('utf8');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the test sees the text
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, text, body };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

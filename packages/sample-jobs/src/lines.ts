import type { Readable } from 'node:stream';

/** A line longer than this is passed on in pieces of this size, so a program that never ends its line cannot fill the job's memory. */
const MAX_LINE = 256 * 1024;

/**
 * Calls `onLine` with each line `stream` carries (without its `\n` or `\r\n`), however the pipe cut it into
 * chunks: a line written in pieces, or longer than a pipe's 64 KiB, arrives whole; a last line without a
 * newline is passed on when the stream ends.
 */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) emit(line);
    while (partial.length >= MAX_LINE) {
      emit(partial.slice(0, MAX_LINE));
      partial = partial.slice(MAX_LINE);
    }
  });
  stream.on('end', () => {
    if (partial !== '') emit(partial);
    partial = '';
  });
}

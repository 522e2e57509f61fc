import { utf8ByteLength, utf8Decode, utf8Encode } from './utf8.js';

/** How much of a run's output is kept with its execution: the rest is cut, with OUTPUT_CUT_NOTE at the end. */
export const MAX_OUTPUT_BYTES = 256 * 1024;
export const OUTPUT_CUT_NOTE = '\n[output cut at 256 KB]\n';
/** A run's result (its return value as JSON, or the trace it failed with) is kept up to the same size. */
export const RESULT_CUT_NOTE = '\n[result cut at 256 KB]\n';

export type OutputLevel = 'info' | 'warn' | 'error';

/** One log call as a line of output: info as written, warnings and errors (ShellJob's stderr) marked. */
export function outputLine(level: OutputLevel, message: string): string {
  return `${level === 'info' ? '' : `[${level}] `}${message}\n`;
}

/** Output from a byte offset (offsets count UTF-8 bytes, as Redis does), and the offset to ask for next. */
export function outputFrom(text: string, offset: number): { output: string; next_offset: number } {
  const bytes = utf8Encode(text);
  const from = Math.min(offset, bytes.length);
  return { output: utf8Decode(bytes.subarray(from)), next_offset: bytes.length };
}

/**
 * A run's output as it grows, capped at `maxBytes`: once a line would pass the cap, the part that fits is
 * kept, followed by OUTPUT_CUT_NOTE, and nothing more. `add` returns what was kept of the line (to stream).
 */
export class CappedOutput {
  private readonly parts: string[] = [];
  private bytes = 0;
  private cut = false;

  constructor(
    private readonly maxBytes = MAX_OUTPUT_BYTES,
    private readonly note = OUTPUT_CUT_NOTE,
  ) {}

  get truncated(): boolean {
    return this.cut;
  }

  add(line: string): string {
    if (this.cut) return '';
    const size = utf8ByteLength(line);
    let kept = line;
    if (this.bytes + size > this.maxBytes) {
      const room = this.maxBytes - this.bytes;
      // Cut on a character boundary: a partial UTF-8 sequence decodes to U+FFFD, which is dropped.
      kept = `${utf8Decode(utf8Encode(line).subarray(0, room)).replace(/\uFFFD+$/, '')}${this.note}`;
      this.cut = true;
    }
    this.parts.push(kept);
    this.bytes += utf8ByteLength(kept);
    return kept;
  }

  text(): string {
    return this.parts.join('');
  }
}

/** `text` kept whole when it fits in MAX_OUTPUT_BYTES, else cut there with RESULT_CUT_NOTE (a run's result). */
export function cappedResult(text: string): string {
  return utf8ByteLength(text) <= MAX_OUTPUT_BYTES
    ? text
    : new CappedOutput(MAX_OUTPUT_BYTES, RESULT_CUT_NOTE).add(text);
}

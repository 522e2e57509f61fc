import { CappedOutput, type OutputLevel, outputLine } from '@tickwork/domain';
import type { RunOutputStream } from '@tickwork/queue';
import type { Logger } from 'pino';

/** Chunks go to Redis at most this often, so a chatty job costs a few Redis calls a second, not one a line. */
const FLUSH_MS = 200;
const CLOSE_WAIT_MS = 1000;

/**
 * One run's output: kept in memory (capped) for the execution record's final write, and appended to Redis
 * in batches while the run goes on, so the API can stream it. A Redis failure loses only the live view.
 */
export class StreamedOutput {
  private readonly output = new CappedOutput();
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Whether any chunk was sent: a run that printed nothing costs Redis nothing. */
  private streamed = false;

  constructor(
    private readonly executionId: string,
    private readonly stream: RunOutputStream,
    private readonly log: Logger,
  ) {}

  add(level: OutputLevel, message: string): void {
    const kept = this.output.add(outputLine(level, message));
    if (kept === '') return;
    this.pending += kept;
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /**
   * The whole kept text, for the final write; no more chunks are streamed after this. A chunk on its way to
   * Redis is waited for briefly, never for long: our Redis client waits out an outage, and the final write
   * to MongoDB must not wait with it.
   */
  async close(): Promise<string> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = '';
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    await Promise.race([this.flushing, waited]);
    clearTimeout(timer);
    return this.output.text();
  }

  /** Drops the streamed copy once any chunk on its way has landed; not waited for (see close). */
  discard(): void {
    if (!this.streamed) return;
    this.flushing
      .then(() => this.stream.remove(this.executionId))
      .catch((err) => this.log.warn({ err }, 'dropping streamed output failed'));
  }

  private flush(): void {
    this.timer = undefined;
    const chunk = this.pending;
    this.pending = '';
    if (chunk === '') return;
    this.streamed = true;
    this.flushing = this.flushing
      .then(() => this.stream.append(this.executionId, chunk))
      .catch((err) => this.log.warn({ err }, 'streaming run output failed'));
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Store } from '@tickwork/store';
import type { Logger } from 'pino';

/**
 * Keeps a MongoDB operation that failed because the server could not be reached, and tries it again until
 * it goes through: a run's state written during an outage is delivered after it, not lost. The worker gives
 * up (`giveUp` aborts) only when its shutdown grace has run out; the lease reaper then closes out the run.
 */
export class OutageRetry {
  constructor(
    private readonly giveUp: AbortSignal,
    private readonly logger: Logger,
    private readonly maxDelayMs = 2000,
  ) {}

  async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    let delayMs = 100;
    let kept = false;
    for (;;) {
      try {
        const value = await operation();
        if (kept) this.logger.info(`${what}: delivered now that MongoDB answers again`);
        return value;
      } catch (err) {
        if (!Store.isUnavailable(err) || this.giveUp.aborted) throw err;
        if (!kept) this.logger.warn({ err: (err as Error).message }, `${what}: MongoDB unavailable; kept for later`);
        kept = true;
        await sleep(delayMs, undefined, { signal: this.giveUp }).catch(() => undefined);
        delayMs = Math.min(this.maxDelayMs, delayMs * 2);
      }
    }
  }
}

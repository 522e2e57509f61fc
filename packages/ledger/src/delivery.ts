import { setTimeout as sleep } from 'node:timers/promises';
import { Store } from '@tickwork/store';
import type { LedgerLog } from './ledger-log.js';

/** What a ledger write does when the store cannot be reached: the one error rule for every write. */
export interface Delivery {
  run<T>(what: string, operation: () => Promise<T>): Promise<T>;
}

/** The API's rule: a write the store refused fails the request (503), and the client may try again. */
export const deliverOnce: Delivery = { run: (_what, operation) => operation() };

/**
 * The worker's rule: a write that failed because the store could not be reached is kept and tried again
 * until it goes through, so a run's state written during an outage is delivered after it, not lost. It
 * gives up (`giveUp` aborts) only when the worker's shutdown grace has run out; the reaper then closes out
 * what it held.
 */
export class OutageRetry implements Delivery {
  constructor(
    private readonly giveUp: AbortSignal,
    private readonly log: LedgerLog,
    private readonly maxDelayMs = 2000,
  ) {}

  async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    let delayMs = 100;
    let kept = false;
    for (;;) {
      try {
        const value = await operation();
        if (kept) this.log.info({}, `${what}: delivered now that MongoDB answers again`);
        return value;
      } catch (err) {
        if (!Store.isUnavailable(err) || this.giveUp.aborted) throw err;
        if (!kept) this.log.warn({ err: (err as Error).message }, `${what}: MongoDB unavailable; kept for later`);
        kept = true;
        await sleep(delayMs, undefined, { signal: this.giveUp }).catch(() => undefined);
        delayMs = Math.min(this.maxDelayMs, delayMs * 2);
      }
    }
  }
}

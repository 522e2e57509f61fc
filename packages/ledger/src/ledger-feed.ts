import type { LedgerEntry } from '@tickwork/domain';
import { ChangeFeed, type FeedPosition, type FeedRead, type RedisClient } from '@tickwork/queue';

/** Entries kept in the stream: a burst of 10,000 fires writes 20,000. A reader further behind reloads. */
const KEEP = 50_000;
/** How long an entry waits for others to be published with it. */
const WINDOW_MS = 2;

/**
 * Every ledger entry written, published through Redis (its output left out) for the API processes'
 * execution windows, which then list recent executions without reading the store. Published after the
 * store write, a few milliseconds' worth at a time.
 */
export class LedgerFeed {
  private readonly feed: ChangeFeed;
  private pending: Array<{ payload: string; resolve: () => void; reject: (err: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(redis: RedisClient, prefix: string) {
    this.feed = new ChangeFeed(redis, `${prefix}:ledger`, KEEP);
  }

  publish(entry: LedgerEntry): Promise<void> {
    const { output: _, ...rest } = entry as LedgerEntry & { output?: string };
    return new Promise((resolve, reject) => {
      this.pending.push({ payload: JSON.stringify(rest), resolve, reject });
      this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(): void {
    this.timer = undefined;
    const batch = this.pending.splice(0);
    this.feed.publish(batch.map((p) => p.payload)).then(
      () => {
        for (const p of batch) p.resolve();
      },
      (err) => {
        for (const p of batch) p.reject(err);
      },
    );
  }

  /** Entries written since `from`, parsed. */
  async read(from: FeedPosition | null): Promise<{ read: FeedRead; entries: LedgerEntry[] }> {
    const read = await this.feed.read(from, 5000);
    return { read, entries: read.reload ? [] : read.payloads.map((p) => JSON.parse(p) as LedgerEntry) };
  }
}

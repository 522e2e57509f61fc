import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';

/** Where a reader of a feed stands: which incarnation of it (a Redis that lost its data starts a new one), and how far. */
export interface FeedPosition {
  epoch: string;
  seq: number;
  /** The stream id of the last entry read, where the next read starts. */
  id: string;
}

/**
 * What was published since a position (`more` when the read stopped short of the end), or `reload` when
 * the feed cannot say — then read everything from the source, and go on from `position`.
 */
export type FeedRead =
  | { position: FeedPosition; payloads: string[]; more: boolean; reload?: undefined }
  | { position: FeedPosition; reload: true };

// KEYS: epoch, seq, stream. ARGV: a new epoch (used if the feed has none), the most entries to keep, payloads.
const PUBLISH = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
for i = 3, #ARGV do
  local seq = redis.call('INCR', KEYS[2])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'p', ARGV[i], 's', seq)
end
return 1`;

// KEYS: epoch, seq, stream. ARGV: a new epoch, the reader's epoch, its seq, its stream id, how many to read.
// Returns {epoch, seq, last id, entries}: entries after the reader's id when its epoch is current and it is behind.
const READ = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local epoch = redis.call('GET', KEYS[1])
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
local lastId = '0-0'
if last[1] then lastId = last[1][1] end
if epoch ~= ARGV[2] or seq <= tonumber(ARGV[3]) then return {epoch, seq, lastId, {}} end
return {epoch, seq, lastId, redis.call('XRANGE', KEYS[3], '(' .. ARGV[4], '+', 'COUNT', ARGV[5])}`;

/**
 * A feed of changes through Redis, for processes that keep a copy of something the store holds: a stream
 * of payloads, each numbered, and an epoch that a Redis which lost its data does not have. A reader that
 * finds a new epoch, or a gap in the numbers (entries trimmed before it read them), reads the source again.
 * Publish after the store write, so a reader that sees the change finds it in the store.
 */
export class ChangeFeed {
  constructor(
    private readonly redis: RedisClient,
    private readonly base: string,
    /** Entries kept in the stream; a reader further behind reloads. */
    private readonly keep: number,
  ) {}

  private get keys(): [string, string, string] {
    return [`${this.base}:epoch`, `${this.base}:seq`, `${this.base}:stream`];
  }

  async publish(payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return;
    await this.redis.eval(PUBLISH, 3, ...this.keys, randomUUID(), this.keep, ...payloads);
  }

  /** What was published since `from` (null: never read), at most `count` entries; one round trip. */
  async read(from: FeedPosition | null, count = 1000): Promise<FeedRead> {
    const [epoch, seq, lastId, raw] = (await this.redis.eval(
      READ,
      3,
      ...this.keys,
      randomUUID(),
      from?.epoch ?? '',
      from?.seq ?? 0,
      from?.id ?? '0-0',
      count,
    )) as [string, number, string, Array<[string, string[]]>];
    const now: FeedPosition = { epoch, seq, id: lastId };
    // First read, or a new feed (Redis lost its data): anything may have changed.
    if (!from || from.epoch !== epoch || seq < from.seq) return { position: now, reload: true };
    if (seq === from.seq) return { position: from, payloads: [], more: false };
    const payloads: string[] = [];
    let position = from;
    for (const [id, fields] of raw) {
      const entrySeq = Number(fields[fields.indexOf('s') + 1]);
      // A gap: entries were trimmed (or lost) before this reader saw them.
      if (entrySeq !== position.seq + 1) return { position: now, reload: true };
      payloads.push(fields[fields.indexOf('p') + 1] as string);
      position = { epoch, seq: entrySeq, id };
    }
    if (position.seq < seq && raw.length < count) return { position: now, reload: true };
    return { position, payloads, more: position.seq < seq };
  }
}

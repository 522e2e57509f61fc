import { ChangeFeed, type FeedPosition, type FeedRead } from './change-feed.js';
import type { RedisClient } from './redis-connection.js';

/** Changes kept in the stream; a reader further behind reads every job again. */
const KEEP = 10_000;

/**
 * Every change to a job, announced through Redis, for the processes that keep jobs in memory or carry them
 * with fires:
 * - `revisions`: each active job's current revision. A fire carries the revision its scheduler was written
 *   with; the worker runs the fire's copy only while it is still current, and reads the store otherwise.
 *   The API invalidates it before it writes the store, so no fire after its answer runs an old definition.
 * - a change feed of job ids (ChangeFeed), read by every API process's job catalog.
 */
export class JobChangeFeed {
  private readonly feed: ChangeFeed;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.feed = new ChangeFeed(redis, `${prefix}:jobs`, KEEP);
  }

  private get revisionsKey(): string {
    return `${this.prefix}:jobs:revisions`;
  }

  /** The job's revision is now `revision` (null: the job is gone). Call before writing the store. */
  async invalidate(jobId: string, revision: number | null): Promise<void> {
    if (revision === null) await this.redis.hdel(this.revisionsKey, jobId);
    else await this.redis.hset(this.revisionsKey, jobId, String(revision));
  }

  /**
   * Puts back revisions Redis lost (the reconciler's pass). Only where none is set: the pass read its jobs
   * a while ago, and a change since then has set a newer one that must stand.
   */
  async restoreRevisions(revisions: ReadonlyArray<readonly [string, number]>): Promise<void> {
    if (revisions.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [id, rev] of revisions) pipeline.hsetnx(this.revisionsKey, id, String(rev));
    await pipeline.exec();
  }

  async revisionOf(jobId: string): Promise<number | null> {
    const value = await this.redis.hget(this.revisionsKey, jobId);
    return value === null ? null : Number(value);
  }

  /** Tells readers that the job changed. Call after writing the store. */
  async announce(jobId: string): Promise<void> {
    await this.feed.publish([jobId]);
  }

  /** Jobs changed since `from` (payloads are job ids). */
  read(from: FeedPosition | null): Promise<FeedRead> {
    return this.feed.read(from);
  }
}

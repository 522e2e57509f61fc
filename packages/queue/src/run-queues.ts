import { Queue } from 'bullmq';
import { QUEUE_NAME, runQueueName } from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { apschedulerRepeatStrategy } from './repeat-strategy.js';

/** The producer side of the run queue, with our repeat strategy so upserted schedulers fire on our cron. */
export function createRunQueue(connection: RedisClient, prefix: string, name = QUEUE_NAME): Queue {
  return new Queue(name, {
    connection,
    prefix,
    settings: { repeatStrategy: apschedulerRepeatStrategy },
  });
}

/**
 * The run queues: the base one, and one per tag set jobs are routed by (a job's worker_tags). The tag sets
 * in use are kept in a Redis set, written before anything is queued on one, so workers (which consume the
 * queues of the tag sets they have all the tags of) and the API's passes find every queue that may hold a
 * run. Producer-side Queue objects share the one Redis connection given (they never block).
 */
export class RunQueues {
  readonly base: Queue;
  private readonly tagged = new Map<string, Queue>();
  /** Tag sets known to be in the Redis set already: noted once per process. */
  private readonly noted = new Set<string>();

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.base = createRunQueue(connection, prefix);
    this.base.on('error', onError);
  }

  private get tagSetsKey(): string {
    return `${this.prefix}:tag-sets`;
  }

  /** The queue of a job with these worker tags (normalized); the base queue for none. */
  of(tags: readonly string[] | undefined): Queue {
    if (!tags || tags.length === 0) return this.base;
    const name = runQueueName(tags);
    let queue = this.tagged.get(name);
    if (!queue) {
      queue = createRunQueue(this.connection, this.prefix, name);
      queue.on('error', this.onError);
      this.tagged.set(name, queue);
    }
    return queue;
  }

  /** The queue for these tags, its tag set recorded as in use first (so workers may find it). */
  async forWriting(tags: readonly string[] | undefined): Promise<Queue> {
    if (tags && tags.length > 0) {
      const key = tags.join(',');
      if (!this.noted.has(key)) {
        await this.connection.sadd(this.tagSetsKey, key);
        this.noted.add(key);
      }
    }
    return this.of(tags);
  }

  /** Every tag set recorded as in use, each sorted. */
  async tagSets(): Promise<string[][]> {
    const members = await this.connection.smembers(this.tagSetsKey);
    return members
      .sort()
      .map((key) => key.split(','))
      .filter((set) => set.length > 0 && set[0] !== '');
  }

  /** The base queue and the queue of every tag set in use. */
  async all(): Promise<Queue[]> {
    return [this.base, ...(await this.tagSets()).map((set) => this.of(set))];
  }

  /** The tagged queues (with their tag sets) of every tag set in use. */
  async taggedQueues(): Promise<Array<{ tags: string[]; queue: Queue }>> {
    return (await this.tagSets()).map((tags) => ({ tags, queue: this.of(tags) }));
  }

  /** Forgets what this process noted: after Redis lost its data, the set must be written again. */
  forgetNoted(): void {
    this.noted.clear();
  }

  async close(): Promise<void> {
    await Promise.all([this.base.close(), ...[...this.tagged.values()].map((queue) => queue.close())]);
  }
}

import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

/** Upper bounds (seconds) of the histogram buckets; +Inf is implied. */
export const LATENESS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
export const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export interface HistogramSnapshot {
  /** Cumulative counts, one per bucket of `bounds`, then +Inf. */
  buckets: number[];
  bounds: readonly number[];
  sum: number;
  count: number;
}

export interface RunTiming {
  durationMs?: number;
  latenessMs?: number;
}

export interface RunMetricsSnapshot {
  /** Ended runs by state and job class. */
  executions: Array<{ state: string; job_class: string; count: number }>;
  /** Commands the fleet sent the store, by command and collection. */
  store_commands: Array<{ command: string; collection: string; count: number }>;
  lateness: HistogramSnapshot;
  duration: HistogramSnapshot;
}

/**
 * The fleet's run figures, kept in Redis so one scrape of any API process sees every worker's: each worker
 * adds its runs to the same counters (HINCRBY), the API reads them when Prometheus scrapes. Like all of
 * Redis here they may be lost; Prometheus reads that as a counter reset.
 */
export class RunMetrics {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:metrics:${name}`;
  }

  /**
   * A run ended in `state`, in one round trip: `durationMs` when it ran at all, `latenessMs` (how long after
   * its intended time it started) for a scheduled fire that ran.
   */
  async recordEnd(jobClass: string, state: string, timing: RunTiming = {}): Promise<void> {
    let batch = this.redis.multi().hincrby(this.key('executions'), `${state}\t${jobClass}`, 1);
    if (timing.durationMs !== undefined) {
      batch = this.observe(batch, 'duration', DURATION_BUCKETS, timing.durationMs / 1000);
    }
    if (timing.latenessMs !== undefined) {
      batch = this.observe(batch, 'lateness', LATENESS_BUCKETS, timing.latenessMs / 1000);
    }
    await batch.exec();
  }

  private observe(
    batch: ChainableCommander,
    name: string,
    bounds: readonly number[],
    seconds: number,
  ): ChainableCommander {
    const index = bounds.findIndex((bound) => seconds <= bound);
    return batch
      .hincrby(this.key(name), `b${index === -1 ? bounds.length : index}`, 1)
      .hincrbyfloat(this.key(name), 'sum', seconds)
      .hincrby(this.key(name), 'count', 1);
  }

  /** Adds a process's store commands since it last added them (see CommandTally). */
  async addStoreCommands(counts: ReadonlyArray<readonly [string, string, number]>): Promise<void> {
    if (counts.length === 0) return;
    let batch = this.redis.multi();
    for (const [command, collection, count] of counts) {
      batch = batch.hincrby(this.key('store_commands'), `${command}\t${collection}`, count);
    }
    await batch.exec();
  }

  async snapshot(): Promise<RunMetricsSnapshot> {
    const [executions, lateness, duration, storeCommands] = await Promise.all(
      ['executions', 'lateness', 'duration', 'store_commands'].map((name) => this.redis.hgetall(this.key(name))),
    );
    return {
      executions: Object.entries(executions ?? {}).map(([field, count]) => {
        const [state = '', job_class = ''] = field.split('\t');
        return { state, job_class, count: Number(count) };
      }),
      store_commands: Object.entries(storeCommands ?? {}).map(([field, count]) => {
        const [command = '', collection = ''] = field.split('\t');
        return { command, collection, count: Number(count) };
      }),
      lateness: histogram(lateness ?? {}, LATENESS_BUCKETS),
      duration: histogram(duration ?? {}, DURATION_BUCKETS),
    };
  }
}

function histogram(fields: Record<string, string>, bounds: readonly number[]): HistogramSnapshot {
  const buckets: number[] = [];
  let running = 0;
  for (let i = 0; i <= bounds.length; i++) {
    running += Number(fields[`b${i}`] ?? 0);
    buckets.push(running);
  }
  return { buckets, bounds, sum: Number(fields.sum ?? 0), count: Number(fields.count ?? 0) };
}

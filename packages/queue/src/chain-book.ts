import type { JobSummary } from '@tickwork/domain';
import type { RedisClient } from './redis-connection.js';

/** A job waiting for another (`after`), as a run end finds it: the job as it was at `rev`. */
export interface ChainedJob {
  job: JobSummary;
  rev: number;
}

/**
 * Which active jobs wait for which (their `after`), in one Redis hash: upstream job id → the jobs waiting
 * for it, each with the revision it was read at. A run's end asks it (one HGET, no store read), so the end
 * of a job nobody waits for costs nothing more in the store. The API writes a job's entry after each change
 * to a job that waits for it; the reconcile pass adds what Redis lost. It is a hint: a run's end checks each
 * job's revision before it runs it (RunLedger), so an entry that is behind a change runs nothing stale.
 */
export class ChainBook {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}:jobs:chains`;
  }

  /** The jobs waiting for `upstream` (none: the entry is removed). */
  async set(upstream: string, waiting: readonly ChainedJob[]): Promise<void> {
    if (waiting.length === 0) await this.redis.hdel(this.key, upstream);
    else await this.redis.hset(this.key, upstream, JSON.stringify(waiting));
  }

  async waitingFor(upstream: string): Promise<ChainedJob[]> {
    const value = await this.redis.hget(this.key, upstream);
    return value ? (JSON.parse(value) as ChainedJob[]) : [];
  }

  /**
   * Adds to the entries the jobs a reconcile pass found waiting and the hash does not list (Redis lost
   * them). Never removes: the pass read its jobs a while ago, and a change since then stands.
   */
  async restore(found: ReadonlyMap<string, readonly ChainedJob[]>): Promise<number> {
    let added = 0;
    for (const [upstream, jobs] of found) {
      const have = await this.waitingFor(upstream);
      const listed = new Set(have.map((c) => c.job.job_id));
      const missing = jobs.filter((c) => !listed.has(c.job.job_id));
      if (missing.length === 0) continue;
      added += missing.length;
      await this.set(upstream, [...have, ...missing]);
    }
    return added;
  }
}

import type { StoredJob } from '@tickwork/domain';
import type { FeedPosition, JobChangeFeed } from '@tickwork/queue';
import type { JobRepository, Page, PageMark } from '@tickwork/store';
import type { FastifyBaseLogger } from 'fastify';
import { SharedCheck } from './shared-check.js';

/** Changed jobs read back from the store at once. */
const PARALLEL_READS = 16;

function addedFirst(a: StoredJob, b: StoredJob): number {
  return a.created_time - b.created_time || (a.job_id < b.job_id ? -1 : a.job_id > b.job_id ? 1 : 0);
}

/**
 * Every job, in this API process's memory: GET /api/v1/jobs and /jobs/:id answer from here instead of
 * reading the store. Before it answers, a read asks the JobChangeFeed what changed (one Redis round trip,
 * shared by the reads that arrive while it is on its way) and reads those jobs again, so a change any API
 * process has answered is in the next read of every other. A new feed (Redis lost its data) or a gap in it
 * means everything is read again; until then, and whenever Redis does not answer, `fresh()` says no and
 * callers read the store.
 */
export class JobCatalog {
  private readonly jobs = new Map<string, StoredJob>();
  private sorted: StoredJob[] | null = null;
  private position: FeedPosition | null = null;
  private loading: Promise<void> | null = null;
  private readonly freshness = new SharedCheck(() => this.check());

  constructor(
    private readonly feed: JobChangeFeed,
    private readonly store: JobRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * True when the catalog holds every change answered before this call; false when it cannot say (loading,
   * Redis away): read the store then.
   */
  fresh(): Promise<boolean> {
    return this.freshness.run();
  }

  get(jobId: string): StoredJob | undefined {
    return this.jobs.get(jobId);
  }

  /** Jobs in the order they were added, a page at a time (the store's own order). */
  list(limit: number, after?: PageMark): Page<StoredJob> {
    this.sorted ??= [...this.jobs.values()].sort(addedFirst);
    let from = 0;
    if (after) {
      const t = after.time.getTime();
      from = this.sorted.findIndex((j) => j.created_time > t || (j.created_time === t && j.job_id > after.id));
      if (from < 0) from = this.sorted.length;
    }
    const items = this.sorted.slice(from, from + limit);
    const more = from + limit < this.sorted.length;
    const last = items[items.length - 1];
    return { items, next: more && last ? { time: new Date(last.created_time), id: last.job_id } : null };
  }

  /** This process's own change, in at once (the feed brings it back too, harmlessly). */
  apply(jobId: string, job: StoredJob | null): void {
    if (job) this.jobs.set(jobId, job);
    else this.jobs.delete(jobId);
    this.sorted = null;
  }

  /** Starts the first load in the background; reads go to the store until it is done. */
  start(): void {
    void this.fresh().catch(() => undefined);
  }

  private async check(): Promise<boolean> {
    if (this.loading) return false;
    for (;;) {
      const read = await this.feed.read(this.position);
      if (read.reload) {
        this.reload(read.position);
        return false;
      }
      await this.reread(read.payloads);
      this.position = read.position;
      if (!read.more) return true;
    }
  }

  /** Reads every job again, in the background; changes after `from` are read after it. */
  private reload(from: FeedPosition): void {
    this.loading ??= (async () => {
      const started = Date.now();
      const all = new Map<string, StoredJob>();
      for await (const job of this.store.stream()) all.set(job.job_id, job);
      this.jobs.clear();
      for (const [id, job] of all) this.jobs.set(id, job);
      this.sorted = null;
      this.position = from;
      this.log.info({ jobs: all.size, ms: Date.now() - started }, 'job catalog loaded');
    })()
      .catch((err) => this.log.warn({ err }, 'loading the job catalog failed; reads go to the store'))
      .finally(() => {
        this.loading = null;
      });
  }

  private async reread(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += PARALLEL_READS) {
      const batch = unique.slice(i, i + PARALLEL_READS);
      const jobs = await Promise.all(batch.map((id) => this.store.get(id)));
      for (const [k, id] of batch.entries()) this.apply(id, jobs[k] ?? null);
    }
  }
}

import { type Execution, foldExecution, isLiveState, type LedgerEntry } from '@tickwork/domain';
import { type ExecutionHistory, type LedgerFeed, newestUpdatedFirst } from '@tickwork/ledger';
import type { FeedPosition } from '@tickwork/queue';
import type { Page, PageMark } from '@tickwork/store';
import type { FastifyBaseLogger } from 'fastify';
import { SharedCheck } from './shared-check.js';

export interface WindowOptions {
  /** How far back the window reaches (ms of scheduled time). */
  spanMs: number;
  /** The most executions it holds; past that its oldest are let go and it reaches less far back. */
  maxExecutions: number;
}

/** A live run not heard of for this long is read again from the store (its writer may have died unheard). */
const STALE_LIVE_MS = 60_000;
const REVALIDATE_EVERY_MS = 30_000;

function isAfter(execution: Execution, mark: PageMark): boolean {
  const t = mark.time.getTime();
  return execution.updated_time < t || (execution.updated_time === t && execution.execution_id > mark.id);
}

/**
 * The recent executions, in this API process's memory: GET /api/v1/executions for a range inside the window
 * (the web UI's last 10 minutes, hour, day) answers from here instead of reading the store. Loaded once from
 * the store, then kept up by the ledger's feed in Redis, which each read first catches up on (one round trip,
 * shared by the reads meanwhile): a write that any process's ledger made before the read is in it. A new feed
 * (Redis lost its data) or a gap means a reload; until loaded, and whenever Redis does not answer, reads go
 * to the store.
 */
export class ExecutionWindow {
  private readonly entries = new Map<string, LedgerEntry[]>();
  private readonly executions = new Map<string, Execution>();
  private position: FeedPosition | null = null;
  /** Executions scheduled at or after this instant are all here. */
  private from = Number.POSITIVE_INFINITY;
  private loading: Promise<void> | null = null;
  private readonly freshness = new SharedCheck(() => this.check());
  private revalidated = Date.now();
  private trimmed = 0;

  constructor(
    private readonly feed: LedgerFeed,
    private readonly history: ExecutionHistory,
    private readonly options: WindowOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Whether [start, …] can be answered from here, fresh: false means read the store. */
  async covers(start: number): Promise<boolean> {
    return (await this.fresh().catch(() => false)) && start >= this.from;
  }

  /** Executions scheduled in [start, end], most recently updated first, a page at a time. */
  between(start: number, end: number, limit: number, after?: PageMark): Page<Execution> {
    const found: Execution[] = [];
    for (const e of this.executions.values()) {
      if (e.scheduled_time >= start && e.scheduled_time <= end && (!after || isAfter(e, after))) found.push(e);
    }
    found.sort(newestUpdatedFirst);
    if (found.length <= limit) return { items: found, next: null };
    const items = found.slice(0, limit);
    const last = items[items.length - 1] as Execution;
    return { items, next: { time: new Date(last.updated_time), id: last.execution_id } };
  }

  get size(): number {
    return this.executions.size;
  }

  /** Starts the first load in the background. */
  start(): void {
    void this.fresh().catch(() => undefined);
  }

  private fresh(): Promise<boolean> {
    return this.freshness.run();
  }

  private async check(): Promise<boolean> {
    if (this.loading) return false;
    for (;;) {
      const { read, entries } = await this.feed.read(this.position);
      if (read.reload) {
        this.reload(read.position);
        return false;
      }
      this.take(entries);
      this.position = read.position;
      if (!read.more) break;
    }
    this.trim();
    if (Date.now() - this.revalidated > REVALIDATE_EVERY_MS) await this.revalidate();
    return true;
  }

  private take(entries: readonly LedgerEntry[]): void {
    const touched = new Set<string>();
    for (const entry of entries) {
      if (entry.scheduled_time < this.from) continue;
      const list = this.entries.get(entry.execution_id);
      if (list) {
        if (!list.some((e) => e.id === entry.id)) list.push(entry);
      } else {
        this.entries.set(entry.execution_id, [entry]);
      }
      touched.add(entry.execution_id);
    }
    for (const id of touched) this.refold(id);
  }

  private refold(id: string): void {
    const execution = foldExecution(this.entries.get(id) ?? []);
    if (execution) this.executions.set(id, execution);
  }

  /** Lets go of what fell out of the window, by age or by number (at most once a second: it walks them all). */
  private trim(): void {
    if (Date.now() - this.trimmed < 1000) return;
    this.trimmed = Date.now();
    const edge = Date.now() - this.options.spanMs;
    if (this.from < edge) this.from = edge;
    if (this.entries.size > this.options.maxExecutions) {
      const times = [...this.entries.values()].map((list) => list[0]?.scheduled_time ?? 0).sort((a, b) => b - a);
      this.from = Math.max(this.from, (times[this.options.maxExecutions - 1] ?? 0) + 1);
    }
    for (const [id, list] of this.entries) {
      if ((list[0]?.scheduled_time ?? 0) < this.from) {
        this.entries.delete(id);
        this.executions.delete(id);
      }
    }
  }

  /** Live runs not heard of for a while are read again: their last entry may never have been published. */
  private async revalidate(): Promise<void> {
    this.revalidated = Date.now();
    const stale = [...this.executions.values()].filter(
      (e) => isLiveState(e.state) && Date.now() - e.updated_time > STALE_LIVE_MS,
    );
    for (const e of stale.slice(0, 100)) {
      const entries = await this.history.entriesOf(e.execution_id);
      this.entries.set(e.execution_id, entries);
      this.refold(e.execution_id);
    }
  }

  /** Reads the window's range from the store, in the background; entries published after `from` follow. */
  private reload(from: FeedPosition): void {
    this.loading ??= (async () => {
      const started = Date.now();
      const edge = started - this.options.spanMs;
      const entries = await this.history.entriesBetween(edge, started + 3_600_000, true);
      this.entries.clear();
      this.executions.clear();
      this.from = edge;
      this.take(entries);
      this.position = from;
      this.log.info({ executions: this.executions.size, ms: Date.now() - started }, 'execution window loaded');
    })()
      .catch((err) => this.log.warn({ err }, 'loading the execution window failed; lists read the store'))
      .finally(() => {
        this.loading = null;
      });
  }
}

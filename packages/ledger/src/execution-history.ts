import {
  type BucketKey,
  bucketsCovering,
  dayOf,
  type Execution,
  foldExecution,
  type LedgerEntry,
} from '@tickwork/domain';
import type { LedgerRepository, Page, PageMark } from '@tickwork/store';

/** Most recently updated first, ties by id: the order lists are shown and paged in (ndscheduler's). */
export function newestUpdatedFirst(a: Execution, b: Execution): number {
  return (
    b.updated_time - a.updated_time || (a.execution_id < b.execution_id ? -1 : a.execution_id > b.execution_id ? 1 : 0)
  );
}

function isAfter(execution: Execution, mark: PageMark): boolean {
  const t = mark.time.getTime();
  return execution.updated_time < t || (execution.updated_time === t && execution.execution_id > mark.id);
}

/** Executions grouped from entries read together (a bucket's), each folded. */
export function foldAll(entries: Iterable<LedgerEntry>): Execution[] {
  const byExecution = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const list = byExecution.get(entry.execution_id);
    if (list) list.push(entry);
    else byExecution.set(entry.execution_id, [entry]);
  }
  const executions: Execution[] = [];
  for (const list of byExecution.values()) {
    const execution = foldExecution(list);
    if (execution) executions.push(execution);
  }
  return executions;
}

/** Buckets read at once: their look-ups overlap without crowding the store. */
const PARALLEL_READS = 4;

/**
 * Executions by fire time, from the ledger: a range is read as the buckets and days covering it (equality
 * look-ups the store serves from an index), so a list costs what its range holds, not the whole history.
 */
export class ExecutionHistory {
  constructor(private readonly ledger: LedgerRepository) {}

  /**
   * Every entry of the executions scheduled in [start, end] (and of some just outside: whole buckets),
   * outputs left out. `byDay` reads whole days: a few look-ups for a long range, at the price of what the
   * days hold outside it (loading a window of a day, say).
   */
  async entriesBetween(start: number, end: number, byDay = false): Promise<LedgerEntry[]> {
    const keys: BucketKey[] = byDay
      ? Array.from({ length: dayOf(end) - dayOf(start) + 1 }, (_, i) => ({ day: dayOf(start) + i }))
      : bucketsCovering(start, end);
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < keys.length; i += PARALLEL_READS) {
      const batches = await Promise.all(keys.slice(i, i + PARALLEL_READS).map((key) => this.ledger.entriesIn(key)));
      for (const batch of batches) entries.push(...batch);
    }
    return entries;
  }

  entriesOf(executionId: string): Promise<LedgerEntry[]> {
    return this.ledger.entriesOf(executionId);
  }

  /** Executions whose scheduled_time lies in [start, end], most recently updated first, a page at a time. */
  async between(start: number, end: number, limit: number, after?: PageMark): Promise<Page<Execution>> {
    const entries = await this.entriesBetween(start, end);
    const found = foldAll(entries).filter(
      (e) => e.scheduled_time >= start && e.scheduled_time <= end && (!after || isAfter(e, after)),
    );
    found.sort(newestUpdatedFirst);
    if (found.length <= limit) return { items: found, next: null };
    const items = found.slice(0, limit);
    const last = items[items.length - 1] as Execution;
    return { items, next: { time: new Date(last.updated_time), id: last.execution_id } };
  }
}

import { type LeaseDocument, type LedgerRepository, leaseDocument } from '@tickwork/store';

/**
 * The runs a worker holds, as the store knows them. Each entry that takes a run (a fire recorded running, a
 * claim) is written in the same insertMany as a lease naming the worker and that run (`companions`), so no
 * run is ever taken without the store knowing who holds it. At each heartbeat the worker writes one fresh
 * lease naming all it holds and drops the older ones (`renew`): the newest lease's time says the worker
 * lives, and when it stops saying so, the reaper closes out the runs it names.
 */
export class LeaseBook {
  private seq = 0;
  /** Slot ids of entries on their way that take a run, with the run's execution id. */
  private readonly taking = new Map<string, string>();
  private readonly held = new Set<string>();
  /** Whether leases of ours are in the store that the next renewal should fold into one. */
  private stale = false;

  constructor(
    readonly holder: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Before writing an entry that takes a run: the lease in its batch will name it. */
  take(slotId: string, executionId: string): void {
    this.taking.set(slotId, executionId);
  }

  /** The entry was written (held) or refused. */
  took(slotId: string, held: boolean): void {
    const executionId = this.taking.get(slotId);
    this.taking.delete(slotId);
    if (held && executionId) this.held.add(executionId);
  }

  /** The run's end (or its retry, queued) is written: nothing more to vouch for. */
  release(executionId: string): void {
    if (this.held.delete(executionId)) this.stale = true;
  }

  /** A lease for the runs a batch takes, written with it (BatchedInserts' companions). */
  companions(docs: ReadonlyArray<{ _id?: unknown }>): LeaseDocument[] {
    const taken = docs.map((d) => this.taking.get(String(d._id))).filter((id): id is string => id !== undefined);
    if (taken.length === 0) return [];
    this.stale = true;
    return [leaseDocument(this.holder, ++this.seq, taken, this.clock())];
  }

  get size(): number {
    return this.held.size + this.taking.size;
  }

  /** Executions held or being taken. */
  list(): string[] {
    return [...new Set([...this.held, ...this.taking.values()])];
  }

  /** One fresh lease for everything held, the older ones dropped; none at all when nothing is held. */
  async renew(ledger: LedgerRepository): Promise<void> {
    const held = this.list();
    if (held.length === 0) {
      if (this.stale) await ledger.dropLeases(this.holder);
      this.stale = false;
      return;
    }
    const seq = ++this.seq;
    await ledger.writeLease(leaseDocument(this.holder, seq, held, this.clock()));
    await ledger.dropLeases(this.holder, seq);
    this.stale = false;
  }

  /** On a clean stop, after every run's end is written. */
  async drop(ledger: LedgerRepository): Promise<void> {
    await ledger.dropLeases(this.holder);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Interval } from './audit.js';
import type { SeededRandom } from './random.js';
import { type FleetProcess, type SoakFleet, say } from './soak-fleet.js';

export type FaultKind =
  | 'kill-worker'
  | 'kill-api'
  | 'pause-worker'
  | 'restart-redis'
  | 'delete-redis-keys'
  | 'stop-store'
  | 'cut-worker-link';

export interface InjectedFault {
  kind: FaultKind;
  target: string;
  from: number;
  to: number;
}

export interface InjectorOptions {
  /** No fault starts after this (ms since epoch); every fault has healed by its own bound after it. */
  until: number;
  /** Mean pause between fault rounds (ms). */
  meanGapMs: number;
  /** At most this many faults in all. */
  maxFaults: number;
  /** The lease a paused worker must outlive (ms). */
  leaseMs: number;
  /** How long the store may be stopped (ms). */
  storeDownMs: [number, number];
}

/**
 * Injects faults at random, from a seeded source: rounds of one or several faults at once (overlapping, the
 * point of the soak), each healing by itself — a killed process is started again after a random delay, a
 * paused worker continued after outliving its lease, the store and a link brought back. Only what the soak
 * started is touched: its own processes, Redis, FerretDB and network namespaces.
 */
export class FaultInjector {
  readonly faults: InjectedFault[] = [];
  /** While the store was stopped. */
  readonly storeDown: Interval[] = [];
  /** While Redis was down (restarted). */
  readonly redisDown: Interval[] = [];
  private readonly busy = new Set<string>();
  private readonly running: Array<Promise<void>> = [];
  /** When the fleet had no worker able to run, for the audit's excuse. */
  readonly noWorker: Interval[] = [];
  private noWorkerSince: number | undefined;
  private watcher: NodeJS.Timeout | undefined;

  constructor(
    private readonly fleet: SoakFleet,
    private readonly random: SeededRandom,
    private readonly options: InjectorOptions,
  ) {}

  /** Runs rounds until `until`, then waits for every fault to heal. */
  async run(): Promise<void> {
    this.watcher = setInterval(() => this.watchWorkers(), 100);
    try {
      while (Date.now() < this.options.until && this.faults.length < this.options.maxFaults) {
        await sleep(this.random.between(0.5, 1.5) * this.options.meanGapMs);
        if (Date.now() >= this.options.until) break;
        const several = this.random.next() < 0.35 ? 2 + Math.floor(this.random.next() * 2) : 1;
        for (let i = 0; i < several && this.faults.length < this.options.maxFaults; i++) this.startOne();
      }
      await Promise.all(this.running);
    } finally {
      clearInterval(this.watcher);
      this.watchWorkers();
      if (this.noWorkerSince !== undefined) this.noWorker.push({ from: this.noWorkerSince, to: Date.now() });
    }
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const fault of this.faults) counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
    return counts;
  }

  private watchWorkers(): void {
    const none = !this.fleet.workers.some((w) => w.serving);
    if (none && this.noWorkerSince === undefined) this.noWorkerSince = Date.now();
    if (!none && this.noWorkerSince !== undefined) {
      this.noWorker.push({ from: this.noWorkerSince, to: Date.now() });
      this.noWorkerSince = undefined;
    }
  }

  private startOne(): void {
    const kinds: FaultKind[] = [
      'kill-worker',
      'kill-api',
      'pause-worker',
      'restart-redis',
      'delete-redis-keys',
      'stop-store',
      ...(this.fleet.networkHosts ? (['cut-worker-link'] as const) : []),
    ];
    const kind = this.random.pick(kinds);
    const fault = this.plan(kind);
    if (!fault) return;
    const record: InjectedFault = { kind, target: fault.target, from: Date.now(), to: Number.NaN };
    this.faults.push(record);
    this.busy.add(fault.target);
    say(`fault ${this.faults.length}: ${kind} ${fault.target}`);
    this.running.push(
      fault
        .act()
        .catch((err) => say(`fault ${kind} ${fault.target} went wrong: ${(err as Error).message}`))
        .finally(() => {
          record.to = Date.now();
          this.busy.delete(fault.target);
        }),
    );
  }

  /**
   * One of `processes` picked by `draw`, or none when it is under a fault already or down. Each round takes the
   * same draws whatever the fleet's state, so a seed replays the same rounds.
   */
  private idle(processes: FleetProcess[], draw: number): FleetProcess | undefined {
    const picked = processes[Math.floor(draw * processes.length)];
    return picked && !this.busy.has(picked.name) && picked.alive ? picked : undefined;
  }

  /** What a fault of `kind` does now, and on what; undefined when its target is already under a fault. */
  private plan(kind: FaultKind): { target: string; act: () => Promise<void> } | undefined {
    const which = this.random.next();
    const howLong = this.random.next();
    const r = { between: (low: number, high: number) => low + (high - low) * howLong };
    switch (kind) {
      case 'kill-worker':
      case 'kill-api': {
        const target = this.idle(kind === 'kill-api' ? this.fleet.apis : this.fleet.workers, which);
        if (!target) return undefined;
        const downMs = r.between(1000, 8000);
        return {
          target: target.name,
          act: async () => {
            target.kill();
            await sleep(downMs);
            await target.start();
          },
        };
      }
      case 'pause-worker': {
        const target = this.idle(this.fleet.workers, which);
        if (!target) return undefined;
        const pausedMs = this.options.leaseMs + r.between(1000, 5000);
        return {
          target: target.name,
          act: async () => {
            target.signal('SIGSTOP');
            target.paused = true;
            await sleep(pausedMs);
            target.paused = false;
            target.signal('SIGCONT');
          },
        };
      }
      case 'cut-worker-link': {
        const target = this.idle(
          this.fleet.workers.filter((w) => w.host),
          which,
        );
        if (!target?.host) return undefined;
        const host = target.host;
        const cutMs = r.between(3000, 12_000);
        return {
          target: target.name,
          act: async () => {
            host.cut();
            target.cut = true;
            await sleep(cutMs);
            host.heal();
            target.cut = false;
          },
        };
      }
      case 'restart-redis': {
        if (this.busy.has('redis')) return undefined;
        const downMs = r.between(200, 3000);
        return {
          target: 'redis',
          act: async () => {
            const down: Interval = { from: Date.now(), to: Number.POSITIVE_INFINITY };
            this.redisDown.push(down);
            await this.fleet.restartRedis(downMs);
            down.to = Date.now();
          },
        };
      }
      case 'delete-redis-keys': {
        if (this.busy.has('redis')) return undefined;
        return {
          target: 'redis',
          act: async () => {
            await this.fleet.deletePrefix();
          },
        };
      }
      case 'stop-store': {
        if (this.busy.has('store')) return undefined;
        const downMs = r.between(...this.options.storeDownMs);
        return {
          target: 'store',
          act: async () => {
            const down: Interval = { from: Date.now(), to: Number.POSITIVE_INFINITY };
            this.storeDown.push(down);
            await this.fleet.mongo.stop();
            await sleep(downMs);
            await this.fleet.mongo.start();
            down.to = Date.now();
          },
        };
      }
    }
  }
}

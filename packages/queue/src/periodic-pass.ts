import type { RedisClient } from './redis-connection.js';
import { withRedisLock } from './redis-lock.js';

/** What passes are timed by: the real clock, or a test's. */
export interface PassClock {
  now(): number;
  /** Calls `fn` after `ms` without keeping the process alive; returns what cancels it. */
  after(ms: number, fn: () => void): () => void;
}

const realClock: PassClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface PeriodicPassOptions<T> {
  /** Said in the error of a runNow() after stop(). */
  name: string;
  /** A pass starts every this many ms once start() is called (a tick that finds a pass running is skipped). */
  intervalMs: number;
  /** One pass. `stopping` is aborted by stop(): a long pass that can end early and safely may then do so. */
  run: (stopping: AbortSignal) => Promise<T>;
  /** A pass the timer started failed (log it): the next one is due as usual. A runNow() caller gets its error. */
  onError: (err: unknown) => void;
  /**
   * Only the process holding this Redis lock runs a pass; in the others the pass is skipped and resolves null.
   * Held for the whole pass, however long (see withRedisLock).
   */
  lock?: { redis: RedisClient; key: string; ttlMs: number };
  /** After a pass that took d ms, the timer starts none until `restFactor` × d after it ended. */
  restFactor?: number;
  clock?: PassClock;
}

/**
 * A pass run every interval, never overlapping itself: a runNow() or a tick during a pass joins it rather
 * than start another, and stop() ends the timer and waits for the pass under way. A failed pass is reported
 * (onError, or to runNow()'s caller) and the timer goes on. Ticks fall on a fixed grid from start(), as
 * setInterval's do, so a pass's duration does not push the next one back.
 */
export class PeriodicPass<T> {
  private readonly clock: PassClock;
  private current: Promise<T | null> | undefined;
  private cancelTick: (() => void) | undefined;
  /** When start() was called (the grid's origin), and when the last tick was due. */
  private origin: number | undefined;
  private lastDue = 0;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(private readonly options: PeriodicPassOptions<T>) {
    if (!(options.intervalMs > 0)) throw new Error(`${options.name}: intervalMs must be positive`);
    this.clock = options.clock ?? realClock;
  }

  /** Whether a pass is under way. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Starts the timer: the first pass one interval from now. */
  start(): void {
    if (this.stopped || this.origin !== undefined) return;
    this.origin = this.clock.now();
    this.lastDue = this.origin;
    this.arm(this.origin + this.options.intervalMs);
  }

  /**
   * A pass now, or the one under way: resolves with its result (null when another process held the lock),
   * rejects with its error. Rejects after stop().
   */
  runNow(): Promise<T | null> {
    if (this.stopped) return Promise.reject(new Error(`${this.options.name} is stopped`));
    if (!this.current) {
      const startedAt = this.clock.now();
      this.current = this.work().finally(() => {
        this.current = undefined;
        this.ended(startedAt);
      });
    }
    return this.current;
  }

  /**
   * No more passes: the timer ends, the pass under way (if any) is told so through its signal, and this
   * resolves once it has ended — or after `waitMs`, for a pass that may be stuck (a command waiting out a
   * Redis outage) and would otherwise hold up a process's stop.
   */
  async stop(waitMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.cancelTick?.();
    this.cancelTick = undefined;
    const current = this.current?.then(
      () => undefined,
      () => undefined,
    );
    if (!current || waitMs === Number.POSITIVE_INFINITY) return current;
    let cancel = () => {};
    await Promise.race([current, new Promise<void>((resolve) => (cancel = this.clock.after(waitMs, resolve)))]);
    cancel();
  }

  private work(): Promise<T | null> {
    const { lock, run } = this.options;
    const { signal } = this.stopping;
    if (lock) return withRedisLock(lock.redis, lock.key, lock.ttlMs, () => run(signal));
    return Promise.resolve().then(() => run(signal));
  }

  private arm(at: number): void {
    this.cancelTick?.();
    this.cancelTick = this.clock.after(Math.max(0, at - this.clock.now()), () => {
      this.cancelTick = undefined;
      this.lastDue = at;
      if (this.stopped) return;
      // A pass under way (a runNow()) counts as this tick's: wait for the next one.
      if (this.current) this.arm(this.nextTick(this.clock.now()));
      else this.runNow().catch(this.options.onError);
    });
  }

  /** The timer's next tick after a pass that started at `startedAt` has ended. */
  private ended(startedAt: number): void {
    if (this.stopped || this.origin === undefined) return;
    const now = this.clock.now();
    const rested = now + (this.options.restFactor ?? 0) * (now - startedAt);
    this.arm(Math.max(this.nextTick(now), rested));
  }

  /** The first tick of the grid later than both `now` and the tick last due (a timer may fire a little early). */
  private nextTick(now: number): number {
    const origin = this.origin ?? now;
    const { intervalMs } = this.options;
    const after = Math.max(now, this.lastDue);
    return origin + (Math.floor((after - origin) / intervalMs) + 1) * intervalMs;
  }
}

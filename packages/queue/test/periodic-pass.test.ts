// PeriodicPass: a pass every interval that never overlaps itself, timed here by a fake clock (no waiting for
// real intervals), and its Redis lock against a real Redis.
import { createRedis, type PassClock, PeriodicPass, type PeriodicPassOptions } from '@tickwork/queue';
import { testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

/** Time moves only when a test advances it; due callbacks run in order, with promises settled between. */
class FakeClock implements PassClock {
  private time = 1_000_000;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, fn });
    return () => this.timers.delete(id);
  }

  get pending(): number {
    return this.timers.size;
  }

  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      const next = [...this.timers].sort(([, a], [, b]) => a.at - b.at)[0];
      if (!next || next[1].at > until) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = until;
    await settle();
  }
}

/** Lets every promise chain that can move on do so. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A pass whose end the test decides. */
function gate() {
  let open: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

function counting(clock: FakeClock, overrides: Partial<PeriodicPassOptions<number>> = {}) {
  const errors: unknown[] = [];
  const starts: number[] = [];
  const pass = new PeriodicPass<number>({
    name: 'test pass',
    intervalMs: 1000,
    run: async () => {
      starts.push(clock.now());
      return starts.length;
    },
    onError: (err) => errors.push(err),
    clock,
    ...overrides,
  });
  return { pass, starts, errors };
}

t.test('a pass every interval from start(), none before', async (t) => {
  const clock = new FakeClock();
  const { pass, starts } = counting(clock);
  const origin = clock.now();
  await clock.advance(5000);
  t.same(starts, [], 'nothing runs before start()');
  pass.start();
  await clock.advance(999);
  t.same(starts, [], 'the first pass is one interval away');
  await clock.advance(2501);
  t.same(
    starts,
    [6000, 7000, 8000].map((ms) => origin + ms),
    'then one every interval',
  );
  await pass.stop();
});

t.test('single flight: runNow() and ticks during a pass join it; the next tick keeps the grid', async (t) => {
  const clock = new FakeClock();
  let release = gate();
  let runs = 0;
  const pass = new PeriodicPass<string>({
    name: 'slow pass',
    intervalMs: 1000,
    run: async () => {
      runs++;
      await release.promise;
      return `pass ${runs}`;
    },
    onError: (err) => t.fail(String(err)),
    clock,
  });
  const origin = clock.now();
  pass.start();
  await clock.advance(1000);
  t.equal(runs, 1, 'the tick started a pass');
  t.ok(pass.running);
  const first = pass.runNow();
  const second = pass.runNow();
  await clock.advance(2500);
  t.equal(runs, 1, 'neither runNow() nor two more ticks started another');
  release.open();
  t.equal(await first, 'pass 1', 'runNow() during a pass answers that pass');
  t.equal(await second, 'pass 1');
  t.notOk(pass.running);
  release = gate();
  release.open();
  await clock.advance(499);
  t.equal(runs, 1, 'no pass at once when the long one ended');
  await clock.advance(1);
  t.equal(runs, 2, 'the next one on the next tick of the grid');
  t.equal(clock.now(), origin + 4000);
  t.equal(await pass.runNow(), 'pass 3', 'runNow() with none under way runs one');
  await pass.stop();
});

t.test('stop() waits for the pass under way, then no pass runs again', async (t) => {
  const clock = new FakeClock();
  const release = gate();
  let runs = 0;
  let told: AbortSignal | undefined;
  const pass = new PeriodicPass<void>({
    name: 'reaper',
    intervalMs: 1000,
    run: async (stopping) => {
      runs++;
      told = stopping;
      await release.promise;
    },
    onError: (err) => t.fail(String(err)),
    clock,
  });
  pass.start();
  await clock.advance(1000);
  let stopped = false;
  const stopping = pass.stop().then(() => {
    stopped = true;
  });
  await clock.advance(100);
  t.notOk(stopped, 'stop() has not returned while the pass runs');
  t.equal(told?.aborted, true, 'the pass was told to stop');
  release.open();
  await stopping;
  t.notOk(pass.running, 'returned once the pass ended');
  t.equal(clock.pending, 0, 'no tick is left');
  await clock.advance(10_000);
  t.equal(runs, 1, 'no pass after stop()');
  await t.rejects(pass.runNow(), /reaper is stopped/, 'runNow() after stop() is refused');
});

t.test('stop(waitMs) gives up waiting for a pass that does not end', async (t) => {
  const clock = new FakeClock();
  const pass = new PeriodicPass<void>({
    name: 'stuck',
    intervalMs: 1000,
    run: () => new Promise<void>(() => {}),
    onError: (err) => t.fail(String(err)),
    clock,
  });
  pass.runNow();
  let stopped = false;
  const stopping = pass.stop(5000).then(() => {
    stopped = true;
  });
  await clock.advance(4999);
  t.notOk(stopped, 'waits up to waitMs');
  await clock.advance(1);
  await stopping;
  t.ok(stopped, 'then returns, the pass still under way');
});

t.test('a failing pass is reported and the timer goes on; runNow() gets its error', async (t) => {
  const clock = new FakeClock();
  let fail = true;
  const { pass, starts, errors } = counting(clock, {
    run: async () => {
      starts.push(clock.now());
      if (fail) throw new Error('store down');
      return starts.length;
    },
  });
  pass.start();
  await clock.advance(2000);
  t.equal(starts.length, 2, 'a pass after the failed one');
  t.match(errors, [{ message: 'store down' }, { message: 'store down' }], 'each timer pass error reported');
  await t.rejects(pass.runNow(), { message: 'store down' }, 'runNow() rejects with the pass error');
  t.equal(errors.length, 2, 'and that one is its caller’s, not reported again');
  fail = false;
  await clock.advance(1000);
  t.equal(starts.length, 4);
  t.equal(errors.length, 2, 'a passing pass reports nothing');
  await pass.stop();
});

t.test('restFactor: after a long pass the timer waits that many times its duration', async (t) => {
  const clock = new FakeClock();
  let release = gate();
  let runs = 0;
  const pass = new PeriodicPass<void>({
    name: 'reconcile',
    intervalMs: 1000,
    restFactor: 10,
    run: async () => {
      runs++;
      await release.promise;
    },
    onError: (err) => t.fail(String(err)),
    clock,
  });
  pass.start();
  await clock.advance(1000);
  await clock.advance(300);
  release.open();
  await clock.advance(0);
  t.equal(runs, 1, 'a pass of 300 ms ended');
  release = gate();
  await clock.advance(2999);
  t.equal(runs, 1, 'none within ten times its duration');
  await clock.advance(1);
  t.equal(runs, 2, 'the next one ten times its duration after it ended');
  release.open();
  await clock.advance(0);
  await clock.advance(1000);
  t.equal(runs, 3, 'after a short pass, the interval again');
  await pass.stop();
});

t.test('with a lock, a pass is skipped (null) while another process holds it', async (t) => {
  const environment = testEnvironment(t);
  const redis = createRedis(environment.config.redisUrl);
  t.teardown(() => redis.disconnect());
  const key = `${environment.config.queuePrefix}:pass-lock`;
  const release = gate();
  let runs = 0;
  const onError = (err: unknown) => t.fail(String(err));
  const lock = { redis, key, ttlMs: 5000 };
  const apiA = new PeriodicPass<string>({
    name: 'retention A',
    intervalMs: 60_000,
    lock,
    onError,
    run: async () => {
      runs++;
      await release.promise;
      return 'A';
    },
  });
  const apiB = new PeriodicPass<string>({
    name: 'retention B',
    intervalMs: 60_000,
    lock,
    onError,
    run: async () => 'B',
  });
  const a = apiA.runNow();
  await waitFor('A to take the lock', async () => (await redis.exists(key)) === 1, 5000, 10);
  t.equal(await apiB.runNow(), null, 'B stands aside while A works');
  release.open();
  t.equal(await a, 'A');
  t.equal(await redis.exists(key), 0, 'the lock is freed when the pass ends');
  t.equal(await apiB.runNow(), 'B', 'then B takes its turn');
  await redis.set(key, 'someone else', 'PX', 5000);
  t.equal(await apiA.runNow(), null, 'a lock held by another process skips the pass');
  t.equal(runs, 1, 'without running it');
  await Promise.all([apiA.stop(), apiB.stop()]);
});

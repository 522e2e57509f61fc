import type { Config } from '@tickwork/config';
import { ChainCatchUp, RunReaper, UnservedRuns } from '@tickwork/ledger';
import { PeriodicPass } from '@tickwork/queue';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * One pass now: runs of lost workers are closed out (or retried), and queue entries of waiting runs that
     * a worker gave up on run again. Returns how many runs it closed out.
     */
    reapExpiredRuns(): Promise<number>;
    /** After Redis lost its data: queues again every execution still waiting for its run. */
    requeueWaitingRuns(): Promise<number>;
    /**
     * One pass now: runs of jobs with worker_tags no live worker has, past their misfire grace, are recorded
     * as `scheduled error`. Returns how many.
     */
    recordUnservedRuns(): Promise<number>;
    /** One chain catch-up pass now: chained runs a recent end did not start are started. */
    catchUpChains(): Promise<number>;
  }
}

/** How far back a Redis loss sends the sweep for waiting runs: a retry's backoff is at most a day. */
const WAITING_LOOKBACK_DAYS = 2;
/** How often runs no live worker can take are looked for, at most (one SMEMBERS when no job has tags). */
const UNSERVED_CHECK_MS = 5000;

/**
 * No execution stays running or waiting forever (RunReaper, in the ledger package), every
 * REAPER_INTERVAL_SEC. Several API processes may reap at once: each close-out is a ledger transition that
 * only one of them wins.
 */
export default fp(
  async function executionReaper(app: FastifyInstance, opts: { config: Config }) {
    const reaper = new RunReaper({
      store: app.store,
      ledger: app.ledger,
      workers: app.workerRegistry,
      runQueues: app.runQueues,
      leaseMs: opts.config.executionLeaseSec * 1000,
      log: app.log,
    });
    // One pass at a time: on a slow store a pass can outlast the interval, and passes piling up behind each
    // other only add load.
    const reaping = new PeriodicPass({
      name: 'execution reaper',
      intervalMs: opts.config.reaperIntervalSec * 1000,
      run: async (): Promise<number> => {
        const closed = await reaper.closeOutLost();
        await reaper.retryFailedEntries();
        return closed;
      },
      onError: (err) => app.log.warn({ err }, 'reaping lost runs failed'),
    });
    const unserved = new UnservedRuns({
      store: app.store,
      ledger: app.ledger,
      workers: app.workerRegistry,
      runQueues: app.runQueues,
      mirror: app.schedulerMirror,
      misfireGraceSec: opts.config.jobMisfireGraceSec,
      log: app.log,
    });
    const unservedPass = new PeriodicPass({
      name: 'unserved runs',
      intervalMs: Math.min(UNSERVED_CHECK_MS, opts.config.reaperIntervalSec * 1000),
      run: () => unserved.recordUnserved(),
      onError: (err) => app.log.warn({ err }, 'looking for runs no worker can take failed'),
    });
    // No lock: a pass never resolves null.
    app.decorate('reapExpiredRuns', async () => (await reaping.runNow()) ?? 0);
    // Chained runs (a job's `after`) that a worker died before starting, every REAPER_INTERVAL_SEC. Several
    // API processes may do it at once: each chained run has one possible record.
    const chainCatchUp = new ChainCatchUp({ store: app.store, ledger: app.ledger, log: app.log });
    const catchingUp = new PeriodicPass({
      name: 'chain catch-up',
      intervalMs: opts.config.reaperIntervalSec * 1000,
      run: () => chainCatchUp.pass(),
      onError: (err) => app.log.warn({ err }, 'catching up chained runs failed'),
    });
    app.decorate('catchUpChains', async () => (await catchingUp.runNow()) ?? 0);
    app.decorate('recordUnservedRuns', async () => (await unservedPass.runNow()) ?? 0);
    app.decorate('requeueWaitingRuns', () => reaper.requeueWaiting(WAITING_LOOKBACK_DAYS));
    app.addHook('onReady', async () => {
      reaping.start();
      unservedPass.start();
      catchingUp.start();
    });
    // A pass stuck on a Redis or store that does not answer leaves the API's stop after 5 s.
    app.addHook('onClose', async () => {
      await Promise.all([catchingUp.stop(5000), reaping.stop(5000), unservedPass.stop(5000)]);
    });
  },
  { name: 'execution-reaper', dependencies: ['fleet'] },
);

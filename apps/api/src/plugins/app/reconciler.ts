import type { Config } from '@tickwork/config';
import { runSnapshot, type StoredJob } from '@tickwork/domain';
import { backfillLostFires, type ChainedJob, type JobChangeFeed, PeriodicPass } from '@tickwork/queue';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** One reconcile pass now: BullMQ's schedulers made to match the active jobs in MongoDB. */
    reconcileSchedulers(): Promise<void>;
  }
}

/**
 * Rebuilds the scheduler mirror from MongoDB at start and every RECONCILE_INTERVAL_SEC, so a mirror write
 * that failed heals without a restart. A lost or flushed Redis is noticed sooner: every few seconds one
 * cheap check looks for the mark the last pass left, and reconciles at once when it is gone.
 */
const REDIS_LOSS_CHECK_MS = 5000;

/** How long BullMQ takes to hand a dead worker's job to another: its lock duration plus its stalled check. */
const STALLED_RECOVERY_MS = 60_000;

/**
 * How long start-up waits for the first pass. A small fleet is mirrored by then; a big one (100,000 jobs
 * takes minutes on FerretDB) goes on in the background instead of failing Fastify's start-up timeout.
 */
const FIRST_PASS_WAIT_MS = 5000;

/** Periodic passes wait at least this many times their own duration. */
const PASS_SHARE = 10;

export default fp(
  async function reconciler(app: FastifyInstance, opts: { config: Config }) {
    // When Redis was last known to hold the mirror: fires due since then may have been lost with it.
    let intactAt = Date.now();
    let firstPass = true;
    const reconciling = new PeriodicPass<void>({
      name: 'scheduler reconcile',
      // Every RECONCILE_INTERVAL_SEC, or ten times as long as the last pass took, whichever is longer: a
      // fleet big enough that a pass reads for a long time does not spend its store on reconciling.
      intervalMs: opts.config.reconcileIntervalSec * 1000,
      restFactor: PASS_SHARE,
      // The Redis lock is the mirror's own (SchedulerMirror.reconcile): a pass another API holds it for is skipped.
      run: async () => {
        const startedAt = Date.now();
        const chains = new Map<string, ChainedJob[]>();
        const active = withChainsFound(
          withRevisionsRestored(app.store.jobs.stream({ paused: false }), app.jobChanges),
          chains,
        );
        const report = await app.schedulerMirror.reconcile(active);
        if (report && (report.upserted || report.removed)) app.log.info(report, 'schedulers reconciled');
        // Only after a pass that read every active job (it holds the mirror's lock; else it read none).
        if (report) {
          const restored = await app.fleet.chains.restore(chains);
          if (restored > 0) app.log.info({ restored }, 'jobs waiting for others listed again');
        }
        if (report?.lost) await recoverRuns(firstPass);
        else if (report) intactAt = startedAt;
        firstPass = false;
      },
      onError: (err) => app.log.warn({ err }, 'reconcile failed'),
    });

    /**
     * After the pass that rebuilt a lost mirror: the waiting runs are queued again, and the fires due since
     * a while before Redis was last seen whole (a fire a worker had taken but not yet recorded when it died
     * would have come back to another worker as a stalled job, had Redis kept it). Fires recorded already
     * count once; with JOB_COALESCE only each job's latest.
     */
    async function recoverRuns(atStart: boolean): Promise<void> {
      const lostSince = intactAt - STALLED_RECOVERY_MS;
      // At start a new Redis looks the same as a lost one: said, not warned.
      const say = atStart ? app.log.info.bind(app.log) : app.log.warn.bind(app.log);
      say('the job schedulers were missing from Redis: rebuilt them from MongoDB; queueing the runs it held again');
      await app.requeueWaitingRuns();
      // Up to now, not to the rebuild: a fire between the two is in a scheduler too, and counts once.
      const rebuiltAt = Date.now();
      const fires = await backfillLostFires(
        app.runQueues,
        app.store.jobs.stream({ paused: false }),
        lostSince,
        rebuiltAt,
        opts.config.jobCoalesce,
      );
      intactAt = rebuiltAt;
      if (fires > 0)
        say({ fires, since: new Date(lostSince).toISOString() }, 'fires that Redis may have lost are queued');
    }
    app.decorate('reconcileSchedulers', async () => {
      await reconciling.runNow();
    });
    const lossCheck = new PeriodicPass<void>({
      name: 'Redis loss check',
      intervalMs: REDIS_LOSS_CHECK_MS,
      run: async () => {
        // A pass under way (the first one of a big fleet) has not left its mark yet: nothing was lost.
        const checkedAt = Date.now();
        if (reconciling.running || (await app.schedulerMirror.isIntact())) {
          if (!reconciling.running) intactAt = checkedAt;
          return;
        }
        // The pass sees the loss itself, under its lock, and recovers (recoverRuns).
        await app.reconcileSchedulers();
      },
      onError: (err) => app.log.warn({ err }, 'reconcile after Redis loss failed'),
    });
    app.addHook('onReady', async () => {
      let waited: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        app.reconcileSchedulers().then(() => true),
        new Promise<false>((resolve) => {
          waited = setTimeout(() => resolve(false), FIRST_PASS_WAIT_MS);
        }),
      ]);
      clearTimeout(waited);
      if (!finished) {
        app.log.info('the first scheduler reconcile goes on in the background');
        app.reconcileSchedulers().catch((err) => app.log.warn({ err }, 'first reconcile failed'));
      }
      reconciling.start();
      lossCheck.start();
    });
    app.addHook('onClose', async () => {
      // The loss check first: a check under way may be waiting for a reconcile pass. One waiting on a Redis
      // that does not answer leaves the API's stop after 5 s; a reconcile pass is waited for.
      await lossCheck.stop(5000);
      await reconciling.stop();
    });
  },
  { name: 'reconciler', dependencies: ['fleet', 'execution-reaper'] },
);

/** Revisions put back as the jobs stream past: a Redis that lost them would have every fire read the store. */
async function* withRevisionsRestored(jobs: AsyncIterable<StoredJob>, changes: JobChangeFeed) {
  let batch: Array<[string, number]> = [];
  for await (const job of jobs) {
    batch.push([job.job_id, job.revision]);
    if (batch.length === 1000) {
      await changes.restoreRevisions(batch);
      batch = [];
    }
    yield job;
  }
  await changes.restoreRevisions(batch);
}

/** Notes, as the jobs stream past, which active jobs wait for which (`after`), for the chain book. */
async function* withChainsFound(jobs: AsyncIterable<StoredJob>, found: Map<string, ChainedJob[]>) {
  for await (const job of jobs) {
    if (job.after) {
      const list = found.get(job.after.job_id) ?? [];
      list.push({ job: runSnapshot(job), rev: job.revision });
      found.set(job.after.job_id, list);
    }
    yield job;
  }
}

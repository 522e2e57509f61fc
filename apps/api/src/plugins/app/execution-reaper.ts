import type { Config } from '@tickwork/config';
import { ExecutionState, retryStep } from '@tickwork/domain';
import { enqueueRecordedRun, recordedRunIdFor } from '@tickwork/queue';
import type { ExecutionRecord } from '@tickwork/store';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * One pass now: runs whose worker stopped renewing their lease are closed out (or retried), and
     * `scheduled` runs whose queue entry may be lost are queued again. Returns how many runs it closed out.
     */
    reapExpiredRuns(): Promise<number>;
  }
}

/** A `scheduled` run still waiting this long after it was due has probably lost its queue entry. */
const OVERDUE_MS = 30_000;

/**
 * No execution stays `running` or `scheduled` forever. A worker renews the lease of each run it holds every
 * heartbeat, and this pass (every REAPER_INTERVAL_SEC) closes out the runs whose lease ran out — `failed`
 * naming the lost host and pid (or re-run, for a job with `retries`), `stopped` when a stop had been asked —
 * unless a live worker still lists the run as its own (it is waiting out a MongoDB outage to write its end).
 * Each update is fenced by the attempt token, so several API processes may reap at once and a late worker
 * cannot undo it. Runs left `scheduled` past their time (Redis lost their queue entry) are queued again;
 * the entry's id comes from the execution, so this never queues one twice.
 */
export default fp(
  async function executionReaper(app: FastifyInstance, opts: { config: Config }) {
    const closeOut = async (run: ExecutionRecord): Promise<boolean> => {
      const lost = `lost worker ${run.hostname} pid ${run.pid}: no heartbeat since ${run.lease_until?.toISOString()}`;
      if (run.state === ExecutionState.running) {
        const step = retryStep(run.job, run.attempts?.length ?? 0, {
          hostname: run.hostname,
          pid: run.pid,
          description: lost,
          result: '',
          started_time: run.started_time,
        });
        if (step) {
          const { ended, description, runAfter } = step;
          if (!(await app.store.executions.scheduleRetry(run._id, run.attempt, ended, description, runAfter))) {
            return false;
          }
          await enqueueRecordedRun(
            app.runQueue,
            { job_id: run.job_id, execution_id: run._id },
            step.number,
            step.delayMs,
          ).catch((err) => app.log.warn({ err, execution_id: run._id }, 'queueing a retry failed; swept later'));
          app.log.warn({ execution_id: run._id, job_id: run.job_id }, description);
          return true;
        }
      }
      const stopping = run.state === ExecutionState.stopping;
      const closed = await app.store.executions.transition(
        run._id,
        [run.state],
        { state: stopping ? ExecutionState.stopped : ExecutionState.failed, description: lost, lease_until: null },
        run.attempt,
      );
      if (closed) {
        app.log.warn({ execution_id: run._id, job_id: run.job_id }, lost);
        const state = stopping ? ExecutionState.stopped : ExecutionState.failed;
        app.runEnds
          .report({ ...run, execution_id: run._id, state, description: lost })
          .catch((err) => app.log.warn({ err, execution_id: run._id }, 'run end not counted or announced'));
      }
      return closed;
    };

    const requeueOverdue = async (): Promise<void> => {
      for (const run of await app.store.executions.listOverdueScheduled(new Date(Date.now() - OVERDUE_MS))) {
        const retryNumber = run.attempts.length;
        // An entry that failed (a worker gave up on it while shutting down) blocks its id: run it again.
        const entry = await app.runQueue.getJob(recordedRunIdFor(run._id, retryNumber));
        if (entry && (await entry.isFailed())) await entry.retry();
        else await enqueueRecordedRun(app.runQueue, { job_id: run.job_id, execution_id: run._id }, retryNumber);
      }
    };

    const reap = async (): Promise<number> => {
      const expired = await app.store.executions.listExpiredLeases(new Date());
      let reaped = 0;
      if (expired.length > 0) {
        const vouched = new Set((await app.workerRegistry.list()).flatMap((w) => w.executions ?? []));
        for (const run of expired) {
          if (!vouched.has(run._id) && (await closeOut(run))) reaped++;
        }
      }
      await requeueOverdue();
      return reaped;
    };
    // One pass at a time: on a slow store a pass can outlast the interval, and passes piling up behind each
    // other only add load (seen on FerretDB with 100,000 executions: dozens of overlapping full reads).
    let pass: Promise<number> | undefined;
    app.decorate('reapExpiredRuns', () => {
      pass ??= reap().finally(() => {
        pass = undefined;
      });
      return pass;
    });
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        app.reapExpiredRuns().catch((err) => app.log.warn({ err }, 'reaping expired runs failed'));
      }, opts.config.reaperIntervalSec * 1000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'execution-reaper', dependencies: ['store', 'queue'] },
);

import type { Config } from '@tickwork/config';
import {
  type ExecutionHistory,
  type Fleet,
  migrateLegacyExecutions,
  openFleet,
  type RunLedger,
} from '@tickwork/ledger';
import {
  type JobChangeFeed,
  type RedisClient,
  type RunControlChannel,
  type RunEndReporter,
  type RunMetrics,
  type RunOutputStream,
  type RunQueues,
  type SchedulerMirror,
  type WorkerRegistry,
  withRedisLock,
} from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    fleet: Fleet;
    /** MongoDB, the source of truth. */
    store: Store;
    /** The only writer of execution state. */
    ledger: RunLedger;
    executionHistory: ExecutionHistory;
    redis: RedisClient;
    runQueue: Queue;
    /** Every run queue: the base one and one per tag set in use (jobs with worker_tags). */
    runQueues: RunQueues;
    schedulerMirror: SchedulerMirror;
    workerRegistry: WorkerRegistry;
    runControl: RunControlChannel;
    /** The fleet's run figures, read for /metrics. */
    runMetrics: RunMetrics;
    runEnds: RunEndReporter;
    runOutput: RunOutputStream;
    jobChanges: JobChangeFeed;
  }
}

/**
 * The store, Redis and the run ledger, built as every process of the fleet builds them (@tickwork/ledger's
 * openFleet), opened at boot and closed with the app.
 */
export default fp(
  async function fleet(app: FastifyInstance, opts: { config: Config & { mongodbUrl: string; redisUrl: string } }) {
    // A request must not hang on a MongoDB outage: give up server selection after 5 s and answer 503.
    const fleet = await openFleet(opts.config, { kind: 'api', serverSelectionTimeoutMS: 5000 }, app.log);
    app.decorate('fleet', fleet);
    app.decorate('store', fleet.store);
    app.decorate('ledger', fleet.ledger);
    app.decorate('executionHistory', fleet.history);
    app.decorate<RedisClient, 'redis'>('redis', fleet.redis);
    app.decorate('runQueue', fleet.runQueue);
    app.decorate('runQueues', fleet.runQueues);
    app.decorate('schedulerMirror', fleet.schedulerMirror);
    app.decorate('workerRegistry', fleet.workers);
    app.decorate('runControl', fleet.control);
    app.decorate('runMetrics', fleet.metrics);
    app.decorate('runEnds', fleet.ends);
    app.decorate('runOutput', fleet.outputs);
    app.decorate('jobChanges', fleet.jobChanges);
    await fleet.runQueue.waitUntilReady();
    let migrating: Promise<unknown> | undefined;
    app.addHook('onReady', async () => {
      // In the background, one API process at a time: a big history takes a while, and nothing waits for it.
      migrating = withRedisLock(fleet.redis, `${opts.config.queuePrefix}:migration-lock`, 10 * 60_000, () =>
        migrateLegacyExecutions(fleet.store, app.log),
      ).catch((err) =>
        app.log.error({ err }, 'moving old executions into the run ledger failed; tried again at next start'),
      );
    });
    app.addHook('onClose', async () => {
      await migrating;
      await fleet.close();
    });
  },
  { name: 'fleet' },
);

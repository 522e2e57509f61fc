import type { Config } from '@tickwork/config';
import {
  ChainBook,
  createRedis,
  FailureNotifier,
  InstanceLimiter,
  JobChangeFeed,
  type RedisClient,
  RunControlChannel,
  RunEndReporter,
  RunMetrics,
  RunOutputStream,
  RunQueues,
  SchedulerMirror,
  WorkerRegistry,
  withDeadline,
} from '@tickwork/queue';
import { Store } from '@tickwork/store';
import type { Queue } from 'bullmq';
import { type Delivery, deliverOnce, OutageRetry } from './delivery.js';
import { ExecutionHistory } from './execution-history.js';
import { LeaseBook } from './lease-book.js';
import { LedgerFeed } from './ledger-feed.js';
import type { LedgerLog } from './ledger-log.js';
import { RunLedger } from './run-ledger.js';

/** How often a process adds the store commands it sent to the fleet's metrics. */
const COMMAND_TALLY_MS = 2000;

export type FleetConfig = Pick<Config, 'queuePrefix' | 'notifyWebhookUrl' | 'notifySlackUrl'> &
  Partial<Pick<Config, 'storeBatchWindowMs'>> & {
    mongodbUrl: string;
    redisUrl: string;
  };

/** Who this process is in the fleet: the API, or a worker that runs what it takes. */
export type FleetRole =
  | { kind: 'api'; serverSelectionTimeoutMS?: number }
  | { kind: 'worker'; holder: string; hostname: string; pid: number; giveUp: AbortSignal };

/**
 * The pieces of the fleet a process works with, built one way for the API and the worker: the store, the
 * Redis connection and everything on it (run queue, registry, metrics, notices, output, run control, job
 * changes), and the run ledger on top.
 */
export interface Fleet {
  store: Store;
  redis: RedisClient;
  /** The base run queue (jobs without worker tags): runQueues.base. */
  runQueue: Queue;
  /** Every run queue: the base one and one per tag set in use. */
  runQueues: RunQueues;
  schedulerMirror: SchedulerMirror;
  workers: WorkerRegistry;
  control: RunControlChannel;
  metrics: RunMetrics;
  ends: RunEndReporter;
  outputs: RunOutputStream;
  jobChanges: JobChangeFeed;
  /** Which jobs wait for which (`after`). */
  chains: ChainBook;
  limiter: InstanceLimiter;
  ledger: RunLedger;
  history: ExecutionHistory;
  /** Every ledger entry written, for the API's execution windows. */
  feed: LedgerFeed;
  /** The worker's leases on the runs it holds (a worker only). */
  leases?: LeaseBook;
  close(): Promise<void>;
}

export async function openFleet(config: FleetConfig, role: FleetRole, log: LedgerLog): Promise<Fleet> {
  const leases = role.kind === 'worker' ? new LeaseBook(role.holder) : undefined;
  const store = await Store.open(config.mongodbUrl, {
    serverSelectionTimeoutMS: role.kind === 'api' ? role.serverSelectionTimeoutMS : undefined,
    batch: {
      ...(config.storeBatchWindowMs === undefined ? {} : { windowMs: config.storeBatchWindowMs }),
      ...(leases ? { companions: (docs) => leases.companions(docs) } : {}),
    },
  });
  const redis = createRedis(config.redisUrl);
  const runQueues = new RunQueues(redis, config.queuePrefix, (err) => log.error({ err }, 'queue error'));
  const runQueue = runQueues.base;
  const notifier = new FailureNotifier(redis, config.queuePrefix, {
    webhookUrl: config.notifyWebhookUrl,
    slackUrl: config.notifySlackUrl,
  });
  const metrics = new RunMetrics(redis, config.queuePrefix);
  const ends = new RunEndReporter(metrics, notifier);
  const control = new RunControlChannel(config.queuePrefix);
  const delivery: Delivery = role.kind === 'worker' ? new OutageRetry(role.giveUp, log) : deliverOnce;
  const feed = new LedgerFeed(redis, config.queuePrefix);
  const jobChanges = new JobChangeFeed(redis, config.queuePrefix);
  const chains = new ChainBook(redis, config.queuePrefix);
  // The store commands this process sent, added to the fleet's metrics every few seconds.
  const tallyCommands = () => metrics.addStoreCommands(store.commands.drain());
  const tally = setInterval(() => {
    tallyCommands().catch((err) => log.warn({ err }, 'store command counts not recorded'));
  }, COMMAND_TALLY_MS);
  tally.unref();
  const ledger = new RunLedger({
    store,
    runQueues,
    ends,
    log,
    delivery,
    host:
      role.kind === 'worker' && leases
        ? { holder: role.holder, hostname: role.hostname, pid: role.pid, leases }
        : undefined,
    control: role.kind === 'api' ? { channel: control, publisher: redis } : undefined,
    feed,
    chains: { book: chains, revisions: jobChanges },
  });
  return {
    store,
    redis,
    runQueue,
    runQueues,
    schedulerMirror: new SchedulerMirror(runQueues, redis, config.queuePrefix),
    workers: new WorkerRegistry(redis, config.queuePrefix),
    control,
    metrics,
    ends,
    outputs: new RunOutputStream(redis, config.queuePrefix),
    jobChanges,
    chains,
    limiter: new InstanceLimiter(redis, config.queuePrefix),
    ledger,
    history: new ExecutionHistory(store.ledger),
    feed,
    leases,
    async close() {
      clearInterval(tally);
      await withDeadline(tallyCommands(), 1000, 'recording store command counts').catch(() => undefined);
      await notifier.close();
      await runQueues.close();
      redis.disconnect();
      await store.close();
    },
  };
}

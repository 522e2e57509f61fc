import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Config } from '@tickwork/config';
import type { RedisClient } from '@tickwork/queue';
import {
  apschedulerRepeatStrategy,
  createRedis,
  createRunQueue,
  FailureNotifier,
  InstanceLimiter,
  QUEUE_NAME,
  RunControlChannel,
  RunEndReporter,
  RunMetrics,
  RunOutputStream,
  WorkerRegistry,
} from '@tickwork/queue';
import { JobClassRegistry } from '@tickwork/sdk';
import { Store } from '@tickwork/store';
import { type Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { NotificationSender } from './notification-sender.js';
import { OutageRetry } from './outage-retry.js';
import { RunRecorder } from './run-recorder.js';
import { RunningRuns } from './running-runs.js';
import { jobEnvironment } from './sandbox/job-environment.js';
import { resolveRunAs } from './sandbox/run-as.js';
import { Sandbox } from './sandbox/sandbox.js';
import { SerialWrites } from './serial-writes.js';

export type WorkerConfig = Pick<
  Config,
  | 'queuePrefix'
  | 'jobClassPackages'
  | 'workerConcurrency'
  | 'workerHeartbeatSec'
  | 'executionLeaseSec'
  | 'jobMisfireGraceSec'
  | 'jobMaxInstances'
  | 'jobCoalesce'
  | 'workerShutdownGraceSec'
  | 'jobMaxMemoryMb'
  | 'notifyWebhookUrl'
  | 'notifySlackUrl'
  | 'workerHealthFile'
  | 'jobEnvPassthrough'
  | 'jobClassRoles'
  | 'jobRunAs'
> & { mongodbUrl: string; redisUrl: string };

/**
 * One worker process's machinery: the BullMQ worker consuming the run queue, the recorder writing each run
 * to MongoDB, and the heartbeat that lists this worker (and its job classes) in Redis.
 */
export class TickworkWorker {
  readonly id = randomUUID().replaceAll('-', '');
  readonly hostname = hostname();
  readonly pid = process.pid;
  private readonly started = new Date();
  private heartbeat: NodeJS.Timeout | undefined;
  private publishing = false;
  private renewing = false;

  private constructor(
    private readonly config: WorkerConfig,
    private readonly store: Store,
    private readonly redis: RedisClient,
    private readonly registry: JobClassRegistry,
    private readonly workers: WorkerRegistry,
    private readonly bullWorker: Worker,
    private readonly bullConnection: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly running: RunningRuns,
    private readonly limiter: InstanceLimiter,
    private readonly sandbox: Sandbox,
    private readonly writes: SerialWrites,
    private readonly runQueue: Queue,
    private readonly notifications: { notifier: FailureNotifier; sender: NotificationSender; connection: RedisClient },
    private readonly giveUp: AbortController,
    private readonly logger: Logger,
  ) {}

  /** Throws a ConfigError naming JOB_RUN_AS when that user cannot be had. */
  static async start(config: WorkerConfig, logger: Logger): Promise<TickworkWorker> {
    const runAs = config.jobRunAs === undefined ? undefined : resolveRunAs(config.jobRunAs);
    const registry = await JobClassRegistry.load(config.jobClassPackages, { roles: config.jobClassRoles });
    const store = await Store.open(config.mongodbUrl);
    const redis = createRedis(config.redisUrl);
    const host = { hostname: hostname(), pid: process.pid };
    const running = new RunningRuns();
    const policy = {
      leaseMs: config.executionLeaseSec * 1000,
      misfireGraceSec: config.jobMisfireGraceSec,
      maxInstances: config.jobMaxInstances,
      coalesce: config.jobCoalesce,
    };
    const limiter = new InstanceLimiter(redis, config.queuePrefix);
    const sandbox = new Sandbox({
      maxMemoryMb: config.jobMaxMemoryMb,
      maxIdle: config.workerConcurrency,
      setup: {
        packages: [...registry.packages],
        baseDir: process.cwd(),
        runAs: runAs ? { uid: runAs.uid, gid: runAs.gid } : null,
      },
      env: jobEnvironment(process.env, config.jobEnvPassthrough, runAs),
    });
    const writes = new SerialWrites();
    // Aborted when the shutdown grace runs out: until then, writes MongoDB refused are kept and retried.
    const giveUp = new AbortController();
    const outage = new OutageRetry(giveUp.signal, logger);
    const runQueue = createRunQueue(redis, config.queuePrefix);
    const notifier = new FailureNotifier(redis, config.queuePrefix, {
      webhookUrl: config.notifyWebhookUrl,
      slackUrl: config.notifySlackUrl,
    });
    const recorder = new RunRecorder({
      store,
      registry,
      host,
      policy,
      running,
      limiter,
      sandbox,
      writes,
      outage,
      runQueue,
      ends: new RunEndReporter(new RunMetrics(redis, config.queuePrefix), notifier),
      outputs: new RunOutputStream(redis, config.queuePrefix),
      logger,
    });
    const subscriber = createRedis(config.redisUrl);
    await new RunControlChannel(config.queuePrefix).listen(subscriber, (executionId) => {
      if (running.abort(executionId, 'stop')) logger.info({ execution_id: executionId }, 'stop requested');
    });
    // BullMQ gets a connection of its own (ours must never wait behind its blocking reads), and does not
    // close a connection it was given: stop() disconnects it.
    const bullConnection = createRedis(config.redisUrl);
    const bullWorker = new Worker(QUEUE_NAME, (job, _token, signal) => recorder.process(job, signal), {
      connection: bullConnection,
      prefix: config.queuePrefix,
      concurrency: config.workerConcurrency,
      // An idle worker with nothing delayed polls again after 1 s (BullMQ's default is 5): RedisClient hands each
      // wake-up marker to one blocked worker, and if that one has just been cut off from the network, the
      // others only notice a due fire at their next poll (see README, Guarantees).
      drainDelay: 1,
      settings: { repeatStrategy: apschedulerRepeatStrategy },
    });
    bullWorker.on('error', (err) => logger.error({ err }, 'queue error'));
    const senderConnection = createRedis(config.redisUrl);
    const sender = new NotificationSender(senderConnection, config.queuePrefix, logger);
    const worker = new TickworkWorker(
      config,
      store,
      redis,
      registry,
      new WorkerRegistry(redis, config.queuePrefix),
      bullWorker,
      bullConnection,
      subscriber,
      running,
      limiter,
      sandbox,
      writes,
      runQueue,
      { notifier, sender, connection: senderConnection },
      giveUp,
      logger,
    );
    await bullWorker.waitUntilReady();
    await worker.beat();
    worker.heartbeat = setInterval(() => {
      worker.beat().catch((err) => logger.warn({ err }, 'heartbeat failed'));
    }, config.workerHeartbeatSec * 1000);
    worker.heartbeat.unref();
    if (runAs) logger.info({ uid: runAs.uid, gid: runAs.gid }, `jobs run as ${runAs.name} (JOB_RUN_AS)`);
    logger.info(
      { hostname: worker.hostname, pid: worker.pid, worker_id: worker.id, job_classes: registry.metaInfo().length },
      `worker started on ${worker.hostname} with pid ${worker.pid}`,
    );
    return worker;
  }

  /**
   * Tells the fleet this worker lives and which runs it holds (Redis), and renews those runs' leases
   * (MongoDB). The two go separately: through a MongoDB outage the worker still vouches for its runs, so
   * they are not written off while their final states wait to be delivered.
   */
  private async beat(): Promise<void> {
    await Promise.all([this.publishPresence(), this.renewLeases()]);
  }

  private async publishPresence(): Promise<void> {
    if (this.publishing) return; // a slow beat must not pile up behind itself
    this.publishing = true;
    try {
      await this.workers.publish(
        {
          worker_id: this.id,
          hostname: this.hostname,
          pid: this.pid,
          started: this.started.toISOString(),
          concurrency: this.config.workerConcurrency,
          running: this.running.size,
          executions: this.running.held(),
          job_classes: this.registry.metaInfo(),
          last_heartbeat: new Date().toISOString(),
        },
        this.config.workerHeartbeatSec * 3000,
      );
      await this.writeHealthFile();
    } finally {
      this.publishing = false;
    }
  }

  /** Written whole, then renamed into place, so a probe never reads half a file. */
  private async writeHealthFile(): Promise<void> {
    const file = this.config.workerHealthFile;
    if (!file) return;
    const health = { worker_id: this.id, pid: this.pid, running: this.running.size, last_heartbeat: new Date() };
    await writeFile(`${file}.tmp`, `${JSON.stringify(health)}\n`);
    await rename(`${file}.tmp`, file);
  }

  private async renewLeases(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      const leaseMs = this.config.executionLeaseSec * 1000;
      // The list is taken inside the serial section, so a run that has begun its final write is not in it.
      const runs = await this.writes.run(async () => {
        const held = this.running.list();
        await this.store.executions.renewLeases(held, new Date(Date.now() + leaseMs));
        return held;
      });
      for (const run of runs) await this.limiter.renew(run.jobId, run.executionId, leaseMs);
    } finally {
      this.renewing = false;
    }
  }

  /**
   * Graceful stop: take no new runs, give running ones WORKER_SHUTDOWN_GRACE_SEC (leases still renewed),
   * then stop what is left (recorded `stopped`) and leave the registry.
   */
  async stop(): Promise<void> {
    const closing = this.bullWorker.close();
    const grace = setTimeout(() => {
      for (const run of this.running.list()) this.running.abort(run.executionId, 'shutdown');
      // Writes still waiting for MongoDB get one more grace, then are dropped: the reaper closes them out.
      setTimeout(() => this.giveUp.abort(), this.config.workerShutdownGraceSec * 1000).unref();
    }, this.config.workerShutdownGraceSec * 1000);
    await closing;
    clearTimeout(grace);
    this.giveUp.abort();
    clearInterval(this.heartbeat);
    this.sandbox.close();
    await this.runQueue.close();
    await this.notifications.sender.close();
    await this.notifications.notifier.close();
    this.notifications.connection.disconnect();
    await this.workers.remove(this.id).catch(() => undefined);
    if (this.config.workerHealthFile) await rm(this.config.workerHealthFile, { force: true });
    this.subscriber.disconnect();
    this.bullConnection.disconnect();
    this.redis.disconnect();
    await this.store.close();
    this.logger.info('worker stopped');
  }
}

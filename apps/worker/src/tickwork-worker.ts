import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Config } from '@tickwork/config';
import { type Fleet, OutageRetry, openFleet } from '@tickwork/ledger';
import {
  apschedulerRepeatStrategy,
  createRedis,
  PeriodicPass,
  QUEUE_NAME,
  type RedisClient,
  runQueueName,
  servedTagSets,
} from '@tickwork/queue';
import { JobClassRegistry } from '@tickwork/sdk';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { NotificationSender } from './notification-sender.js';
import { RunHandler } from './run-handler.js';
import { RunningRuns } from './running-runs.js';
import { jobEnvironment } from './sandbox/job-environment.js';
import { resolveRunAs } from './sandbox/run-as.js';
import { containment } from './sandbox/run-containment.js';
import { Sandbox } from './sandbox/sandbox.js';

/** How often a worker with tags looks for tag sets newly in use. */
const TAG_QUEUE_WATCH_MS = 2000;
/** The most tag-set queues one worker consumes: each holds a blocking Redis connection. */
const MAX_TAGGED_QUEUES = 16;

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
  | 'storeBatchWindowMs'
  | 'jobEnvPassthrough'
  | 'jobClassRoles'
  | 'jobRunAs'
  | 'allowInternalUrls'
  | 'jobCgroup'
  | 'workerTags'
> & { mongodbUrl: string; redisUrl: string };

/** What a worker process is made of, built once in start(). */
interface WorkerParts {
  config: WorkerConfig;
  fleet: Fleet;
  registry: JobClassRegistry;
  running: RunningRuns;
  sandbox: Sandbox;
  bullWorker: Worker;
  /** Starts a BullMQ worker on another run queue (a tag set's), on the shared connection. */
  consume: (queueName: string) => Worker;
  /** Connections of their own: BullMQ's blocking reads, the stop channel's subscription, notice delivery. */
  connections: RedisClient[];
  sender: NotificationSender;
  /** Aborted when the shutdown grace runs out: until then, writes MongoDB refused are kept and retried. */
  giveUp: AbortController;
  logger: Logger;
}

/**
 * One worker process: the BullMQ worker consuming the run queue through the run handler (which writes every
 * state change through the ledger), and the heartbeat that lists this worker (and its job classes) in
 * Redis and renews its lease on the runs it holds in the store.
 */
export class TickworkWorker {
  readonly hostname = hostname();
  readonly pid = process.pid;
  private readonly started = new Date();
  /**
   * The heartbeat, as two passes every WORKER_HEARTBEAT_SEC: through a MongoDB outage the lease renewal
   * waits on the store while presence goes on vouching for the runs in Redis, so they are not written off
   * while their final states wait to be delivered.
   */
  private readonly presence: PeriodicPass<void>;
  private readonly leaseRenewal: PeriodicPass<void>;
  /**
   * The queues of the tag sets in use that this worker has all the tags of, each consumed by a BullMQ worker
   * of its own. Found by watching the Redis set of tag sets in use rather than by consuming every subset of
   * WORKER_TAGS (2^n queues, each one blocking Redis connection): a worker opens one connection per tag set
   * jobs actually use, at most MAX_TAGGED_QUEUES.
   */
  private readonly taggedWorkers = new Map<string, Worker>();
  private readonly tagQueues: PeriodicPass<void>;

  private constructor(
    readonly id: string,
    private readonly parts: WorkerParts,
  ) {
    const intervalMs = parts.config.workerHeartbeatSec * 1000;
    const onError = (err: unknown) => parts.logger.warn({ err }, 'heartbeat failed');
    this.presence = new PeriodicPass({ name: 'heartbeat', intervalMs, onError, run: () => this.publishPresence() });
    this.leaseRenewal = new PeriodicPass({ name: 'lease renewal', intervalMs, onError, run: () => this.renewLeases() });
    // A new tag set is found within a few seconds, so its first fire is not kept waiting long.
    this.tagQueues = new PeriodicPass({
      name: 'tag queues',
      intervalMs: Math.min(intervalMs, TAG_QUEUE_WATCH_MS),
      onError: (err) => parts.logger.warn({ err }, 'watching the tag sets in use failed'),
      run: () => this.consumeTagQueues(),
    });
  }

  /** Throws a ConfigError naming JOB_RUN_AS when that user cannot be had. */
  static async start(config: WorkerConfig, logger: Logger): Promise<TickworkWorker> {
    const id = randomUUID().replaceAll('-', '');
    const runAs = config.jobRunAs === undefined ? undefined : resolveRunAs(config.jobRunAs);
    const registry = await JobClassRegistry.load(config.jobClassPackages, { roles: config.jobClassRoles });
    const giveUp = new AbortController();
    const fleet = await openFleet(
      config,
      { kind: 'worker', holder: id, hostname: hostname(), pid: process.pid, giveUp: giveUp.signal },
      logger,
    );
    const running = new RunningRuns();
    const held = await containment(config.jobCgroup, config.jobMaxMemoryMb);
    // Said once, and as a warning where a limit README promises only where available does not hold here.
    logger[held.limited ? 'warn' : 'info'](`job processes: ${held.description}`);
    const sandbox = new Sandbox({
      maxMemoryMb: config.jobMaxMemoryMb,
      maxIdle: config.workerConcurrency,
      setup: {
        packages: [...registry.packages],
        baseDir: process.cwd(),
        runAs: runAs ? { uid: runAs.uid, gid: runAs.gid } : null,
        internalUrls: config.allowInternalUrls,
        programMemoryMb: held.memoryByCgroup ? null : config.jobMaxMemoryMb,
      },
      env: jobEnvironment(process.env, config.jobEnvPassthrough, runAs),
      containment: held,
    });
    const handler = new RunHandler({
      fleet,
      registry,
      sandbox,
      running,
      policy: {
        leaseMs: config.executionLeaseSec * 1000,
        misfireGraceSec: config.jobMisfireGraceSec,
        maxInstances: config.jobMaxInstances,
        coalesce: config.jobCoalesce,
        workerTags: config.workerTags,
      },
      delivery: new OutageRetry(giveUp.signal, logger),
      logger,
    });
    const subscriber = createRedis(config.redisUrl);
    await fleet.control.listen(subscriber, (executionId) => {
      if (running.abort(executionId, 'stop')) logger.info({ execution_id: executionId }, 'stop requested');
    });
    // BullMQ gets a connection of its own (ours must never wait behind its blocking reads), and does not
    // close a connection it was given: stop() disconnects it.
    const bullConnection = createRedis(config.redisUrl);
    // Every run queue's BullMQ worker shares this connection; each opens its own blocking one besides.
    const consume = (queueName: string) => {
      const consumer = new Worker(queueName, (job, _token, signal) => handler.process(job, signal), {
        connection: bullConnection,
        prefix: config.queuePrefix,
        concurrency: config.workerConcurrency,
        // An idle worker with nothing delayed polls again after 1 s (BullMQ's default is 5): Redis hands each
        // wake-up marker to one blocked worker, and if that one has just been cut off from the network, the
        // others only notice a due fire at their next poll (see README, Guarantees).
        drainDelay: 1,
        settings: { repeatStrategy: apschedulerRepeatStrategy },
      });
      consumer.on('error', (err) => logger.error({ err, queue: queueName }, 'queue error'));
      return consumer;
    };
    const bullWorker = consume(QUEUE_NAME);
    const senderConnection = createRedis(config.redisUrl);
    const sender = new NotificationSender(
      senderConnection,
      config.queuePrefix,
      { internalUrls: config.allowInternalUrls, operatorUrls: [config.notifyWebhookUrl, config.notifySlackUrl] },
      logger,
    );
    const worker = new TickworkWorker(id, {
      config,
      fleet,
      registry,
      running,
      sandbox,
      bullWorker,
      consume,
      connections: [subscriber, bullConnection, senderConnection],
      sender,
      giveUp,
      logger,
    });
    await bullWorker.waitUntilReady();
    if (config.workerTags.length > 0) {
      await worker.tagQueues.runNow();
      worker.tagQueues.start();
    }
    await Promise.all([worker.presence.runNow(), worker.leaseRenewal.runNow()]);
    worker.presence.start();
    worker.leaseRenewal.start();
    if (runAs) logger.info({ uid: runAs.uid, gid: runAs.gid }, `jobs run as ${runAs.name} (JOB_RUN_AS)`);
    logger.info(
      {
        hostname: worker.hostname,
        pid: worker.pid,
        worker_id: id,
        job_classes: registry.metaInfo().length,
        tags: config.workerTags,
      },
      `worker started on ${worker.hostname} with pid ${worker.pid}`,
    );
    return worker;
  }

  /** Starts consuming the queue of each tag set in use that this worker has all the tags of. */
  private async consumeTagQueues(): Promise<void> {
    const { config, fleet, consume, logger } = this.parts;
    for (const tags of servedTagSets(config.workerTags, await fleet.runQueues.tagSets())) {
      const name = runQueueName(tags);
      if (this.taggedWorkers.has(name)) continue;
      if (this.taggedWorkers.size >= MAX_TAGGED_QUEUES) {
        logger.error({ queue: name }, `not consumed: this worker consumes ${MAX_TAGGED_QUEUES} tag queues already`);
        continue;
      }
      const consumer = consume(name);
      this.taggedWorkers.set(name, consumer);
      await consumer.waitUntilReady();
      logger.info({ queue: name, tags }, `consuming the runs of jobs tagged ${tags.join(', ')}`);
    }
  }

  /** Tells the fleet this worker lives and which runs it holds (Redis). */
  private async publishPresence(): Promise<void> {
    const { config, fleet, running, registry } = this.parts;
    await fleet.workers.publish(
      {
        worker_id: this.id,
        hostname: this.hostname,
        pid: this.pid,
        started: this.started.toISOString(),
        concurrency: config.workerConcurrency,
        tags: config.workerTags,
        running: running.size,
        executions: [...new Set([...running.held(), ...(fleet.leases?.list() ?? [])])],
        job_classes: registry.metaInfo(),
        last_heartbeat: new Date().toISOString(),
      },
      config.workerHeartbeatSec * 3000,
    );
    await this.writeHealthFile();
  }

  /** Written whole, then renamed into place, so a probe never reads half a file. */
  private async writeHealthFile(): Promise<void> {
    const file = this.parts.config.workerHealthFile;
    if (!file) return;
    const health = { worker_id: this.id, pid: this.pid, running: this.parts.running.size, last_heartbeat: new Date() };
    await writeFile(`${file}.tmp`, `${JSON.stringify(health)}\n`);
    await rename(`${file}.tmp`, file);
  }

  /** Renews this worker's lease on the runs it holds (the store) and their instance slots (Redis). */
  private async renewLeases(): Promise<void> {
    const { config, fleet, running } = this.parts;
    await fleet.leases?.renew(fleet.store.ledger);
    const leaseMs = config.executionLeaseSec * 1000;
    await Promise.all(running.list().map((run) => fleet.limiter.renew(run.jobId, run.executionId, leaseMs)));
  }

  /**
   * Graceful stop: take no new runs, give running ones WORKER_SHUTDOWN_GRACE_SEC (leases still renewed),
   * then stop what is left (recorded `stopped`) and leave the registry.
   */
  async stop(): Promise<void> {
    const { config, fleet, running, bullWorker, giveUp, sandbox, sender, connections, logger } = this.parts;
    await this.tagQueues.stop(5000);
    const closing = Promise.all([bullWorker.close(), ...[...this.taggedWorkers.values()].map((w) => w.close())]);
    const grace = setTimeout(() => {
      for (const run of running.list()) running.abort(run.executionId, 'shutdown');
      // Writes still waiting for MongoDB get one more grace, then are dropped: the reaper closes them out.
      setTimeout(() => giveUp.abort(), config.workerShutdownGraceSec * 1000).unref();
    }, config.workerShutdownGraceSec * 1000);
    await closing;
    clearTimeout(grace);
    giveUp.abort();
    // A beat under way ends first (it would write the health file again after it is removed below), unless
    // it waits on a store or Redis that does not answer: then the stop goes on after 5 s.
    await Promise.all([this.presence.stop(5000), this.leaseRenewal.stop(5000)]);
    await sandbox.close();
    // Every end written: no lease is needed. Any end given up leaves its lease for the reaper.
    if (fleet.leases?.size === 0) await fleet.leases.drop(fleet.store.ledger).catch(() => undefined);
    await sender.close();
    await fleet.workers.remove(this.id).catch(() => undefined);
    if (config.workerHealthFile) await rm(config.workerHealthFile, { force: true });
    for (const connection of connections) connection.disconnect();
    await fleet.close();
    logger.info('worker stopped');
  }
}

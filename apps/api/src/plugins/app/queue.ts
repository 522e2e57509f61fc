import type { Config } from '@tickwork/config';
import {
  createRedis,
  createRunQueue,
  FailureNotifier,
  type RedisClient,
  RunControlChannel,
  RunEndReporter,
  RunMetrics,
  RunOutputStream,
  SchedulerMirror,
  WorkerRegistry,
} from '@tickwork/queue';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    redis: RedisClient;
    runQueue: Queue;
    schedulerMirror: SchedulerMirror;
    workerRegistry: WorkerRegistry;
    runControl: RunControlChannel;
    /** The fleet's run figures, read for /metrics. */
    runMetrics: RunMetrics;
    runEnds: RunEndReporter;
    runOutput: RunOutputStream;
  }
}

/**
 * Redis and the run queue: BullMQ's producer side, the scheduler mirror, the worker registry, run control,
 * the output of running executions, and the queue of failure notices.
 */
export default fp(
  async function queue(app: FastifyInstance, opts: { config: Config & { redisUrl: string } }) {
    const redis = createRedis(opts.config.redisUrl);
    const runQueue = createRunQueue(redis, opts.config.queuePrefix);
    runQueue.on('error', (err) => app.log.error({ err }, 'queue error'));
    await runQueue.waitUntilReady();
    app.decorate<RedisClient, 'redis'>('redis', redis);
    app.decorate('runQueue', runQueue);
    app.decorate('schedulerMirror', new SchedulerMirror(runQueue, redis, opts.config.queuePrefix));
    app.decorate('workerRegistry', new WorkerRegistry(redis, opts.config.queuePrefix));
    app.decorate('runControl', new RunControlChannel(opts.config.queuePrefix));
    const failureNotifier = new FailureNotifier(redis, opts.config.queuePrefix, {
      webhookUrl: opts.config.notifyWebhookUrl,
      slackUrl: opts.config.notifySlackUrl,
    });
    const runMetrics = new RunMetrics(redis, opts.config.queuePrefix);
    app.decorate('runMetrics', runMetrics);
    app.decorate('runEnds', new RunEndReporter(runMetrics, failureNotifier));
    app.decorate('runOutput', new RunOutputStream(redis, opts.config.queuePrefix));
    app.addHook('onClose', async () => {
      await failureNotifier.close();
      await runQueue.close();
      redis.disconnect();
    });
  },
  { name: 'queue' },
);

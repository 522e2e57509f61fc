import { createRedis, RunMetrics } from '@tickwork/queue';
import { waitFor } from '@tickwork/testing';

/**
 * Waits until the fleet's metrics (Redis counters, bumped by workers after each final write to MongoDB) count
 * `count` ended runs of `jobClass` in one of `states`. Polling MongoDB instead would load the very server
 * being measured: on FerretDB a count reads every matching record.
 */
export async function waitForEndedRuns(
  redisUrl: string,
  prefix: string,
  jobClass: string,
  states: readonly string[] | null,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const redis = createRedis(redisUrl);
  const metrics = new RunMetrics(redis, prefix);
  let ended = 0;
  try {
    await waitFor(
      `${count} runs of ${jobClass} to end`,
      async () => {
        ended = (await metrics.snapshot()).executions
          .filter((e) => e.job_class === jobClass && (states === null || states.includes(e.state)))
          .reduce((sum, e) => sum + e.count, 0);
        return ended >= count;
      },
      timeoutMs,
      50,
    );
  } finally {
    redis.disconnect();
  }
  return ended;
}

import { createRedis, RunMetrics } from '@tickwork/queue';

/** Store commands the fleet sent, by "command collection", counted by every process's driver. */
export type CommandCounts = Record<string, number>;

/** How long a process may hold its counts before adding them to the fleet's (see openFleet). */
const TALLY_LAG_MS = 2500;

/** The fleet's store commands so far, once every process has added what it sent until now. */
export async function fleetCommands(redisUrl: string, prefix: string): Promise<CommandCounts> {
  await new Promise((resolve) => setTimeout(resolve, TALLY_LAG_MS));
  const redis = createRedis(redisUrl);
  try {
    const snapshot = await new RunMetrics(redis, prefix).snapshot();
    return Object.fromEntries(snapshot.store_commands.map((c) => [`${c.command} ${c.collection}`, c.count]));
  } finally {
    redis.disconnect();
  }
}

/** What happened between two counts, per unit of work (a fire, a run), to two decimals, largest first. */
export function commandsPer(before: CommandCounts, after: CommandCounts, units: number) {
  const per: Record<string, number> = {};
  let total = 0;
  for (const [key, count] of Object.entries(after)) {
    const delta = count - (before[key] ?? 0);
    if (delta <= 0) continue;
    per[key] = Math.round((delta / units) * 100) / 100;
    total += delta;
  }
  const sorted = Object.fromEntries(Object.entries(per).sort((a, b) => b[1] - a[1]));
  return { total: Math.round((total / units) * 100) / 100, by_command: sorted };
}

export type CommandsPer = ReturnType<typeof commandsPer>;

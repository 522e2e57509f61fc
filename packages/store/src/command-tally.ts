import type { CommandStartedEvent } from 'mongodb';

/** Commands of the driver's own that are not the application's work. */
const HOUSEKEEPING = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
  'buildInfo',
]);

/**
 * Every command this process sent the store, by command and collection, from the driver's command
 * monitoring: what a fire, a request or a pass costs the store, counted rather than guessed. Drained into
 * the fleet's metrics (tickwork_store_commands_total).
 */
export class CommandTally {
  private counts = new Map<string, number>();

  observe(event: CommandStartedEvent): void {
    if (HOUSEKEEPING.has(event.commandName)) return;
    const target = event.command[event.commandName];
    const collection = typeof target === 'string' ? target : '';
    const key = `${event.commandName}\t${collection}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Counts since the last drain, as [command, collection, count]. */
  drain(): Array<[string, string, number]> {
    const drained = [...this.counts].map(([key, count]) => {
      const [command = '', collection = ''] = key.split('\t');
      return [command, collection, count] as [string, string, number];
    });
    this.counts = new Map();
    return drained;
  }
}

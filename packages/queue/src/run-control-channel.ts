import type { RedisClient } from './redis-connection.js';

export interface StopRequest {
  type: 'stop';
  execution_id: string;
}

/**
 * Commands to runs wherever they are: the API publishes on one Redis channel and every worker listens,
 * since only the worker process running an execution can abort it.
 */
export class RunControlChannel {
  constructor(private readonly prefix: string) {}

  get channel(): string {
    return `${this.prefix}:run-control`;
  }

  async requestStop(publisher: RedisClient, executionId: string): Promise<void> {
    const message: StopRequest = { type: 'stop', execution_id: executionId };
    await publisher.publish(this.channel, JSON.stringify(message));
  }

  /** `subscriber` becomes a subscriber-mode connection: give it one of its own. */
  async listen(subscriber: RedisClient, onStop: (executionId: string) => void): Promise<void> {
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      try {
        const message = JSON.parse(text) as StopRequest;
        if (message.type === 'stop' && typeof message.execution_id === 'string') onStop(message.execution_id);
      } catch {
        // not ours
      }
    });
    await subscriber.subscribe(this.channel);
  }
}

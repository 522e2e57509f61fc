import { OUTPUT_CUT_NOTE } from '@tickwork/domain';
import type { RedisClient } from './redis-connection.js';

/** Output of a run streamed by a worker that died is kept this long, for the API to show. */
const OUTPUT_TTL_SEC = 24 * 3600;

/**
 * The output of running executions, in Redis while they run: the worker appends what its job logs, the API
 * reads from a byte offset. The worker drops the key once the output is on the execution record.
 */
export class RunOutputStream {
  private readonly noteBytes = Buffer.byteLength(OUTPUT_CUT_NOTE, 'utf8');

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(executionId: string): string {
    return `${this.prefix}:output:${executionId}`;
  }

  async append(executionId: string, text: string): Promise<void> {
    const key = this.key(executionId);
    await this.redis.multi().append(key, text).expire(key, OUTPUT_TTL_SEC).exec();
  }

  /** Text from byte `offset`; `truncated` once the worker cut the output (the note ends it). */
  async read(
    executionId: string,
    offset: number,
  ): Promise<{ output: string; next_offset: number; truncated: boolean; exists: boolean }> {
    const key = this.key(executionId);
    const answers = await this.redis
      .multi()
      .getrange(key, offset, -1)
      .getrange(key, -this.noteBytes, -1)
      .strlen(key)
      .exec();
    const [rest, tail, length] = (answers ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    }) as [string, string, number];
    return {
      output: rest,
      next_offset: length,
      truncated: tail === OUTPUT_CUT_NOTE,
      exists: length > 0,
    };
  }

  async remove(executionId: string): Promise<void> {
    await this.redis.del(this.key(executionId));
  }
}

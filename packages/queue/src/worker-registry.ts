import type { ClassRole } from '@tickwork/domain';
import { type RedisClient, scanKeys } from './redis-connection.js';

/** What a live worker publishes about itself. */
export interface WorkerInfo {
  worker_id: string;
  hostname: string;
  pid: number;
  started: string;
  concurrency: number;
  /** Its WORKER_TAGS: it runs the jobs whose worker_tags it has all of. Absent from older workers (none). */
  tags: string[];
  running: number;
  /** Executions this worker holds (running, or writing their final state): the reaper leaves these alone. */
  executions: string[];
  job_classes: Array<{
    job_class_string: string;
    notes: string;
    arguments: Array<{ type: string; description: string }>;
    example_arguments: string;
    /** The role a job of the class needs (JOB_CLASS_ROLES, else the class's own); absent from older workers. */
    required_role?: ClassRole;
  }>;
  last_heartbeat: string;
}

/**
 * Live workers, kept in Redis: each worker refreshes its own key, which expires when it stops refreshing,
 * so a dead worker disappears on its own after the TTL.
 */
export class WorkerRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(workerId: string): string {
    return `${this.prefix}:workers:${workerId}`;
  }

  async publish(info: WorkerInfo, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(info.worker_id), JSON.stringify(info), 'PX', ttlMs);
  }

  async remove(workerId: string): Promise<void> {
    await this.redis.del(this.key(workerId));
  }

  async list(): Promise<WorkerInfo[]> {
    const keys = await scanKeys(this.redis, this.key('*'));
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values
      .filter((v): v is string => v !== null)
      .map((v) => {
        const info = JSON.parse(v) as WorkerInfo;
        return { ...info, tags: info.tags ?? [] };
      })
      .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.pid - b.pid);
  }
}

import { AuditEvent, ExecutionState } from '@tickwork/domain';
import type { RunControlChannel } from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import type { Redis } from 'ioredis';
import { ApiError } from '../errors/api-error.js';
import { assertId } from './job-service.js';

/** What the API does to executions themselves: stop a run, wherever in the fleet it is. */
export class ExecutionService {
  constructor(
    private readonly store: Store,
    private readonly redis: Redis,
    private readonly runControl: RunControlChannel,
  ) {}

  /**
   * Marks the run `stopping` and tells every worker; the one running it aborts it and records `stopped`.
   * A run whose worker is gone is closed out by the lease reaper instead.
   */
  async stop(executionId: string, user: string): Promise<void> {
    assertId(executionId, 'execution_id');
    const execution = await this.store.executions.get(executionId);
    if (!execution) throw ApiError.badRequest(`Execution not found: ${executionId}`);
    const marked = await this.store.executions.transition(executionId, [ExecutionState.running], {
      state: ExecutionState.stopping,
    });
    if (!marked) {
      const now = (await this.store.executions.get(executionId))?.state ?? execution.state;
      throw ApiError.badRequest(`Execution is not running: ${executionId} is ${now}`);
    }
    await this.runControl.requestStop(this.redis, executionId);
    await this.store.auditLogs.add({
      job_id: execution.job_id,
      job_name: execution.job.name,
      event: AuditEvent.stopped,
      user,
      description: executionId,
    });
  }
}

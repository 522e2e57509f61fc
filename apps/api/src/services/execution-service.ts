import { AuditEvent, ExecutionState, OUTPUT_CUT_NOTE, outputFrom } from '@tickwork/domain';
import type { RedisClient, RunControlChannel, RunOutputStream } from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import { ApiError } from '../errors/api-error.js';
import { assertId } from './job-service.js';

/** States in which a run may still produce output. */
const LIVE_STATES: readonly string[] = [ExecutionState.scheduled, ExecutionState.running, ExecutionState.stopping];

export interface RunOutputPage {
  output: string;
  next_offset: number;
  truncated: boolean;
  running: boolean;
}

/** What the API does to executions themselves: stop a run, wherever in the fleet it is; read its output. */
export class ExecutionService {
  constructor(
    private readonly store: Store,
    private readonly redis: RedisClient,
    private readonly runControl: RunControlChannel,
    private readonly outputs: RunOutputStream,
  ) {}

  /**
   * A run's output from byte `offset`: streamed from Redis while it runs, from the record once it ended.
   * A run whose worker died before its final write has only the streamed copy, which is read then too.
   */
  async output(executionId: string, offset: number): Promise<RunOutputPage> {
    assertId(executionId, 'execution_id');
    const execution = await this.store.executions.get(executionId);
    if (!execution) throw ApiError.badRequest(`Execution not found: ${executionId}`);
    const running = LIVE_STATES.includes(execution.state);
    const stored = execution.output ?? '';
    if (!running && stored !== '') {
      return { ...outputFrom(stored, offset), truncated: stored.endsWith(OUTPUT_CUT_NOTE), running };
    }
    const streamed = await this.outputs.read(executionId, offset);
    return { output: streamed.output, next_offset: streamed.next_offset, truncated: streamed.truncated, running };
  }

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

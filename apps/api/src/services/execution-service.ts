import { AuditEvent, type Execution, isLiveState, OUTPUT_CUT_NOTE, outputFrom } from '@tickwork/domain';
import { ExecutionStateError, type RunLedger } from '@tickwork/ledger';
import type { RunOutputStream } from '@tickwork/queue';
import type { Store } from '@tickwork/store';
import { ApiError } from '../errors/api-error.js';
import { assertId } from './assert-id.js';

export interface RunOutputPage {
  output: string;
  next_offset: number;
  truncated: boolean;
  running: boolean;
}

/** What the API does to executions themselves: read one, stop a run wherever in the fleet it is, read its output. */
export class ExecutionService {
  constructor(
    private readonly store: Store,
    private readonly ledger: RunLedger,
    private readonly outputs: RunOutputStream,
  ) {}

  async get(executionId: string): Promise<Execution> {
    assertId(executionId, 'execution_id');
    const execution = await this.ledger.get(executionId);
    if (!execution) throw ApiError.badRequest(`Execution not found: ${executionId}`);
    return execution;
  }

  /**
   * A run's output from byte `offset`: streamed from Redis while it runs, from the record once it ended.
   * A run whose worker died before its final write has only the streamed copy, which is read then too.
   */
  async output(executionId: string, offset: number): Promise<RunOutputPage> {
    const execution = await this.get(executionId);
    const running = isLiveState(execution.state);
    const stored = execution.output;
    if (!running && stored !== '') {
      return { ...outputFrom(stored, offset), truncated: stored.endsWith(OUTPUT_CUT_NOTE), running };
    }
    const streamed = await this.outputs.read(executionId, offset);
    return { output: streamed.output, next_offset: streamed.next_offset, truncated: streamed.truncated, running };
  }

  /**
   * Asks the run to stop (the ledger records the request and tells every worker); the worker running it
   * kills it and records `stopped`. A run whose worker is gone is closed out as stopped by the reaper.
   */
  async stop(executionId: string, user: string): Promise<void> {
    assertId(executionId, 'execution_id');
    let execution: Execution;
    try {
      execution = await this.ledger.requestStop(executionId, user);
    } catch (err) {
      if (err instanceof ExecutionStateError) throw ApiError.badRequest(err.message);
      throw err;
    }
    await this.store.auditLogs.add({
      job_id: execution.job.job_id,
      job_name: execution.job.name,
      event: AuditEvent.stopped,
      user,
      description: executionId,
    });
  }
}

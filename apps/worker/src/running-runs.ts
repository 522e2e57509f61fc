import type { AbortReason } from '@tickwork/domain';

export interface RunningRun {
  jobId: string;
  executionId: string;
  controller: AbortController;
  reason?: AbortReason;
}

/**
 * The runs this worker process is executing now, each abortable by its execution id, and those whose final
 * state is still being written: the worker vouches for both in the registry, so no reaper writes them off.
 */
export class RunningRuns {
  private readonly runs = new Map<string, RunningRun>();
  private readonly closing = new Set<string>();

  start(jobId: string, executionId: string): RunningRun {
    const run: RunningRun = { jobId, executionId, controller: new AbortController() };
    this.runs.set(executionId, run);
    return run;
  }

  /** The run ended and its final state is being written: still vouched for. */
  finishing(executionId: string): void {
    if (this.runs.delete(executionId)) this.closing.add(executionId);
  }

  /** Its final state is written (or given up): forgotten. */
  done(executionId: string): void {
    this.runs.delete(executionId);
    this.closing.delete(executionId);
  }

  /** Aborts the run if it is here; the first reason given is the one recorded. */
  abort(executionId: string, reason: AbortReason): boolean {
    const run = this.runs.get(executionId);
    if (!run) return false;
    run.reason ??= reason;
    run.controller.abort(reason);
    return true;
  }

  list(): RunningRun[] {
    return [...this.runs.values()];
  }

  /** Execution ids this worker still holds: running, or writing their final state. */
  held(): string[] {
    return [...this.runs.keys(), ...this.closing];
  }

  get size(): number {
    return this.runs.size;
  }
}

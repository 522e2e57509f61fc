/** Why a run was cut short. */
export type AbortReason = 'stop' | 'timeout' | 'shutdown';

export interface RunningRun {
  jobId: string;
  executionId: string;
  attempt: string;
  controller: AbortController;
  reason?: AbortReason;
}

/** The runs this worker process is executing now, each abortable by its execution id. */
export class RunningRuns {
  private readonly runs = new Map<string, RunningRun>();

  start(jobId: string, executionId: string, attempt: string): RunningRun {
    const run: RunningRun = { jobId, executionId, attempt, controller: new AbortController() };
    this.runs.set(executionId, run);
    return run;
  }

  finish(executionId: string): void {
    this.runs.delete(executionId);
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

  get size(): number {
    return this.runs.size;
  }
}

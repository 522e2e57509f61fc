import type { FailureNotifier } from './failure-notifier.js';
import type { RunMetrics, RunTiming } from './run-metrics.js';

/**
 * What happens once a run's end is recorded, wherever it was recorded (a worker, or the API's reaper for a
 * lost one): it is counted in the fleet's metrics and, when it failed, announced. Both are best effort:
 * the record is what counts, and a Redis hiccup costs a data point or a notice, never a run.
 */
export class RunEndReporter {
  constructor(
    private readonly metrics: RunMetrics,
    private readonly notifier: FailureNotifier,
  ) {}

  /** Rejects with the first failure, after trying both. */
  async report(ended: Parameters<FailureNotifier['notify']>[0], timing: RunTiming = {}): Promise<void> {
    const results = await Promise.allSettled([
      this.metrics.recordEnd(ended.job.job_class_string, ended.state, timing),
      this.notifier.notify(ended),
    ]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}

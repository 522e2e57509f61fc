import { ExecutionState } from '../execution-state.js';
import type { JobSummary } from '../job-definition.js';
import { type EndedAttempt, nextRetry, retryDescription } from '../retry-policy.js';
import { isRecorded, type LedgerEntry, type StepEntry } from './ledger-entry.js';
import { ExecutionEvent } from './transitions.js';

/** One run of a job (a fire, a run-now), as its ledger entries add up to: what the API shows. */
export interface Execution {
  execution_id: string;
  /** The job as it was when the run was recorded. */
  job: JobSummary;
  state: ExecutionState;
  /** The attempt the state belongs to (1 unless retried). */
  attempt: number;
  /** The worker holding the current attempt while it is running or stopping; null otherwise. */
  holder: string | null;
  hostname: string;
  pid: number;
  task_id: string;
  description: string;
  result: string;
  /** What the run logged (capped); '' while it runs, or where the entries were read without it. */
  output: string;
  scheduled_time: number;
  updated_time: number;
  /** When the current attempt began; null before it did. */
  started_time: number | null;
  /** For a waiting execution: when its run is due. */
  run_after: number | null;
  /** Who asked to stop the current attempt, if anyone did. */
  stop_requested_by: string | null;
  /** Earlier attempts that failed and were run again, oldest first. */
  attempts: EndedAttempt[];
}

function stepKey(attempt: number, from: string): string {
  return `${attempt}|${from}`;
}

/**
 * The execution its ledger entries describe, whatever order they were read in; null without the first entry
 * (its `recorded`). Each state of each attempt is left by at most one entry (the store saw to that), so the
 * walk from the first entry is a single path: there is nothing to arbitrate here.
 */
export function foldExecution(entries: Iterable<LedgerEntry>): Execution | null {
  let first: LedgerEntry | undefined;
  const steps = new Map<string, StepEntry>();
  for (const entry of entries) {
    if (isRecorded(entry)) first = entry;
    else steps.set(stepKey(entry.attempt, entry.from), entry);
  }
  if (!first || !isRecorded(first)) return null;
  const execution: Execution = {
    execution_id: first.execution_id,
    job: first.job,
    state: first.state,
    attempt: 1,
    holder: first.state === ExecutionState.running ? (first.holder ?? null) : null,
    hostname: first.hostname ?? '',
    pid: first.pid ?? -1,
    task_id: first.task_id ?? '',
    description: first.description ?? '',
    result: first.result ?? '',
    output: '',
    scheduled_time: first.scheduled_time,
    updated_time: first.at,
    started_time: first.state === ExecutionState.running ? first.at : null,
    run_after: first.run_after ?? null,
    stop_requested_by: null,
    attempts: [],
  };
  for (let step = steps.get(stepKey(1, execution.state)); step; ) {
    apply(execution, step);
    step = steps.get(stepKey(execution.attempt, execution.state));
  }
  return execution;
}

function apply(execution: Execution, step: StepEntry): void {
  execution.updated_time = Math.max(execution.updated_time, step.at);
  if (step.output !== undefined) execution.output = step.output;
  switch (step.event) {
    case ExecutionEvent.claimed:
      execution.state = ExecutionState.running;
      execution.holder = step.holder ?? null;
      execution.hostname = step.hostname ?? '';
      execution.pid = step.pid ?? -1;
      execution.task_id = step.task_id ?? '';
      execution.description = '';
      execution.result = '';
      execution.output = '';
      execution.started_time = step.at;
      execution.run_after = null;
      return;
    case ExecutionEvent.stopRequested:
      execution.state = ExecutionState.stopping;
      execution.stop_requested_by = step.by ?? '';
      return;
    default:
      if (step.state === ExecutionState.scheduled) {
        retry(execution, step);
        return;
      }
      execution.state = step.state;
      execution.holder = null;
      execution.description = step.description ?? '';
      execution.result = step.result ?? '';
      execution.run_after = null;
  }
}

/** A failed attempt kept, and the execution waiting for the next one. */
function retry(execution: Execution, step: StepEntry): void {
  const failure = step.description ?? '';
  execution.attempts.push({
    hostname: execution.hostname,
    pid: execution.pid,
    state: ExecutionState.failed,
    description: failure,
    result: step.result ?? '',
    started_time: execution.started_time,
    ended_time: step.at,
  });
  const plan = nextRetry(execution.job, execution.attempt - 1);
  const delayMs = Math.max(0, (step.run_after ?? step.at) - step.at);
  execution.description = plan
    ? retryDescription({ number: plan.number, delayMs }, execution.job.retries ?? 0, failure)
    : failure;
  execution.result = '';
  execution.state = ExecutionState.scheduled;
  execution.attempt += 1;
  execution.holder = null;
  execution.started_time = null;
  execution.run_after = step.run_after ?? step.at;
  execution.stop_requested_by = null;
}

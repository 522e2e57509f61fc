import type { ExecutionState } from '../execution-state.js';
import type { JobSummary } from '../job-definition.js';
import type { ExecutionEvent } from './transitions.js';

/** Who holds an attempt: the worker process (its registry id), its host and pid, and BullMQ's entry id. */
export interface RunHolder {
  holder: string;
  hostname: string;
  pid: number;
  task_id: string;
}

interface EntryBase {
  /** The ledger slot (see slotOf): unique, so one writer wins it. */
  id: string;
  execution_id: string;
  /** The execution's fire time (ms): every entry is filed under it, so a time range finds them together. */
  scheduled_time: number;
  event: ExecutionEvent;
  /** The state the execution is in after this entry. */
  state: ExecutionState;
  /** When it was written (ms). */
  at: number;
  /** A token of the writer's own: after an unanswered write, tells its own entry from a rival's. */
  writer: string;
}

/** The execution's first entry: what ran (the job as it was), for which fire, and how it began. */
export interface RecordedEntry extends EntryBase, Partial<RunHolder> {
  event: typeof ExecutionEvent.recorded;
  job: JobSummary;
  /** For a waiting run: when it is due. */
  run_after?: number;
  /** For a refused fire: why, and the trace. */
  description?: string;
  result?: string;
}

/** Every later entry leaves the state `from` of attempt `attempt`. */
export interface StepEntry extends EntryBase, Partial<RunHolder> {
  event: Exclude<ExecutionEvent, typeof ExecutionEvent.recorded>;
  attempt: number;
  from: ExecutionState;
  description?: string;
  result?: string;
  /** What the run logged, with its end (capped). */
  output?: string;
  /** For a retry: when the next attempt is due. */
  run_after?: number;
  /** For a stop request: who asked. */
  by?: string;
}

export type LedgerEntry = RecordedEntry | StepEntry;

export function isRecorded(entry: LedgerEntry): entry is RecordedEntry {
  return entry.event === 'recorded';
}

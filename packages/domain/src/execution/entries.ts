import type { ExecutionState } from '../execution-state.js';
import type { JobSummary } from '../job-definition.js';
import type { RecordedEntry, RunHolder, StepEntry } from './ledger-entry.js';
import { assertTransition, ExecutionEvent, slotOf } from './transitions.js';

/** Where an execution stands, as far as the next entry needs to know: which state of which attempt it leaves. */
export interface ExecutionPosition {
  execution_id: string;
  scheduled_time: number;
  attempt: number;
  state: ExecutionState;
}

export interface NewRecord {
  execution_id: string;
  job: JobSummary;
  scheduled_time: number;
  state: ExecutionState;
  holder?: RunHolder;
  run_after?: number;
  description?: string;
  result?: string;
}

/** The first entry of an execution, checked against the transition table. */
export function recordedEntry(record: NewRecord, at: number, writer: string): RecordedEntry {
  assertTransition(ExecutionEvent.recorded, null, record.state);
  const entry: RecordedEntry = {
    id: slotOf(record.execution_id, 0, null),
    execution_id: record.execution_id,
    event: ExecutionEvent.recorded,
    state: record.state,
    at,
    writer,
    job: record.job,
    scheduled_time: record.scheduled_time,
    ...record.holder,
  };
  if (record.run_after !== undefined) entry.run_after = record.run_after;
  if (record.description !== undefined) entry.description = record.description;
  if (record.result !== undefined) entry.result = record.result;
  return entry;
}

export type StepFields = Pick<StepEntry, 'description' | 'result' | 'output' | 'run_after' | 'by'> & Partial<RunHolder>;

/**
 * The entry that moves an execution from where it stands by `event` to `to`: checked against the transition
 * table, and filed under the slot of the state it leaves, so only one such entry can ever be stored.
 */
export function stepEntry(
  position: ExecutionPosition,
  event: Exclude<ExecutionEvent, typeof ExecutionEvent.recorded>,
  to: ExecutionState,
  fields: StepFields,
  at: number,
  writer: string,
): StepEntry {
  assertTransition(event, position.state, to);
  return {
    id: slotOf(position.execution_id, position.attempt, position.state),
    execution_id: position.execution_id,
    scheduled_time: position.scheduled_time,
    event,
    state: to,
    at,
    writer,
    attempt: position.attempt,
    from: position.state,
    ...fields,
  };
}

import type { EndedAttempt, ExecutionState, JobSummary } from '@tickwork/domain';
import { type Connection, type Model, Schema } from 'mongoose';

/** The job as it was when the run was recorded: ndscheduler shows this inside each execution. */
export type ExecutionJobSnapshot = JobSummary;

export interface ExecutionDocument {
  _id: string;
  job_id: string;
  /** One record per fire: `<job_id>@<fire ms>` for scheduled runs, `manual@<execution_id>` for run-now. */
  fire_key: string;
  state: ExecutionState;
  hostname: string;
  pid: number;
  task_id: string;
  description: string;
  result: string;
  scheduled_time: Date;
  updated_time: Date;
  /** The running attempt's fencing token: only its holder may move the record on. */
  attempt: string;
  /** Until when the running attempt's worker vouches for it; past that, the reaper closes it out. */
  lease_until: Date | null;
  /** When the running attempt began. */
  started_time: Date | null;
  /** For a `scheduled` record: when its queued run is due; one overdue by much is queued again. */
  run_after: Date | null;
  /** What the run logged (JobBase's logger, ShellJob's stdout/stderr), capped; '' until it ends. */
  output: string;
  /** Earlier attempts that failed and were run again (the job's `retries`), oldest first. */
  attempts: EndedAttempt[];
  job: ExecutionJobSnapshot;
}

const endedAttemptSchema = new Schema<EndedAttempt>(
  {
    hostname: String,
    pid: Number,
    state: String,
    description: String,
    result: String,
    started_time: Date,
    ended_time: Date,
  },
  { _id: false },
);

const executionSchema = new Schema<ExecutionDocument>(
  {
    _id: { type: String, required: true },
    job_id: { type: String, required: true },
    fire_key: { type: String, required: true },
    state: { type: String, required: true },
    hostname: { type: String, default: '' },
    pid: { type: Number, default: -1 },
    task_id: { type: String, default: '' },
    description: { type: String, default: '' },
    result: { type: String, default: '' },
    scheduled_time: { type: Date, required: true },
    updated_time: { type: Date, required: true },
    attempt: { type: String, default: '' },
    lease_until: { type: Date, default: null },
    started_time: { type: Date, default: null },
    run_after: { type: Date, default: null },
    output: { type: String, default: '' },
    attempts: { type: [endedAttemptSchema], default: [] },
    job: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'executions', versionKey: false, minimize: false },
);
executionSchema.index({ fire_key: 1 }, { unique: true });
executionSchema.index({ scheduled_time: 1 });
executionSchema.index({ job_id: 1, state: 1 });
executionSchema.index({ state: 1, lease_until: 1 });
executionSchema.index({ attempt: 1 });
executionSchema.index({ state: 1, run_after: 1 });
// The list's keyset order (newest first, then _id), so MongoDB walks it instead of sorting; retention's
// updated_time range uses it too.
executionSchema.index({ updated_time: -1, _id: 1 });

export function executionModel(connection: Connection): Model<ExecutionDocument> {
  return connection.model<ExecutionDocument>('Execution', executionSchema);
}

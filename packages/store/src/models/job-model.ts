import { DEFAULT_RETRY_BACKOFF_SEC, type Role } from '@tickwork/domain';
import { type Connection, type Model, Schema } from 'mongoose';

export interface JobDocument {
  _id: string;
  name: string;
  job_class_string: string;
  /** The job's arguments as one JSON string; jobs stored before it existed hold `pub_args`. */
  pub_args_json?: string;
  pub_args?: unknown[];
  month: string;
  day: string;
  week: string;
  day_of_week: string;
  hour: string;
  minute: string;
  second: string;
  timezone: string;
  timeout: number | null;
  misfire_grace_sec: number | null;
  max_instances: number | null;
  retries: number;
  retry_backoff_sec: number;
  notify_webhook_url: string | null;
  notify_slack_url: string | null;
  paused: boolean;
  /** Who last created or changed it (see JobDefinition); absent on jobs saved before it was recorded. */
  author_role?: Role;
  created_time: Date;
  updated_time: Date;
}

const jobSchema = new Schema<JobDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    job_class_string: { type: String, required: true },
    pub_args_json: { type: String },
    pub_args: { type: [Schema.Types.Mixed], default: undefined },
    month: { type: String, required: true },
    day: { type: String, required: true },
    week: { type: String, required: true },
    day_of_week: { type: String, required: true },
    hour: { type: String, required: true },
    minute: { type: String, required: true },
    second: { type: String, required: true },
    timezone: { type: String, required: true },
    timeout: { type: Number, default: null },
    misfire_grace_sec: { type: Number, default: null },
    max_instances: { type: Number, default: null },
    retries: { type: Number, default: 0 },
    retry_backoff_sec: { type: Number, default: DEFAULT_RETRY_BACKOFF_SEC },
    notify_webhook_url: { type: String, default: null },
    notify_slack_url: { type: String, default: null },
    paused: { type: Boolean, required: true, default: false },
    author_role: { type: String },
    created_time: { type: Date, required: true },
    updated_time: { type: Date, required: true },
  },
  { collection: 'jobs', versionKey: false, minimize: false },
);
jobSchema.index({ paused: 1 });
jobSchema.index({ created_time: 1, _id: 1 });

export function jobModel(connection: Connection): Model<JobDocument> {
  return connection.model<JobDocument>('Job', jobSchema);
}

import { JOB_FIELD_NAMES, type JobSettings, jobFieldDefault, jobFieldKind, type Role } from '@tickwork/domain';
import { type Connection, type Model, Schema, type SchemaDefinitionProperty } from 'mongoose';

/** A job as stored: the contract's fields (pub_args as JSON text), its state, and when it was added and changed. */
export type JobDocument = Omit<JobSettings, 'pub_args'> & {
  _id: string;
  /** The job's arguments as one JSON string; jobs stored before it existed hold `pub_args`. */
  pub_args_json?: string;
  pub_args?: unknown[];
  paused: boolean;
  /** Who last created or changed it (see JobDefinition); absent on jobs saved before it was recorded. */
  author_role?: Role;
  /** after.job_id, at the top level so that "which jobs wait for this one" is an indexed equality. */
  after_job_id?: string | null;
  created_time: Date;
  updated_time: Date;
};

/** The path of each contract field but pub_args (stored as JSON text): its type, and its default or required. */
function contractPaths(): Record<string, SchemaDefinitionProperty> {
  const paths: Record<string, SchemaDefinitionProperty> = {};
  for (const field of JOB_FIELD_NAMES) {
    const kind = jobFieldKind(field);
    if (kind === 'json-array') continue;
    if (kind === 'tags') {
      paths[field] = { type: [String], default: [] };
      continue;
    }
    if (kind === 'chain') {
      paths[field] = { type: Schema.Types.Mixed, default: null };
      continue;
    }
    const type = kind === 'integer' || kind === 'optional-integer' ? Number : String;
    const fallback = jobFieldDefault(field);
    paths[field] = fallback === undefined ? { type, required: true } : { type, default: fallback };
  }
  return paths;
}

const jobSchema = new Schema<JobDocument>(
  {
    _id: { type: String, required: true },
    ...contractPaths(),
    pub_args_json: { type: String },
    pub_args: { type: [Schema.Types.Mixed], default: undefined },
    paused: { type: Boolean, required: true, default: false },
    author_role: { type: String },
    after_job_id: { type: String, default: null },
    created_time: { type: Date, required: true },
    updated_time: { type: Date, required: true },
  },
  { collection: 'jobs', versionKey: false, minimize: false },
);
jobSchema.index({ paused: 1 });
jobSchema.index({ created_time: 1, _id: 1 });
jobSchema.index({ after_job_id: 1 });

export function jobModel(connection: Connection): Model<JobDocument> {
  return connection.model<JobDocument>('Job', jobSchema);
}

import { type Static, type TSchema, Type } from 'typebox';

/**
 * The job contract: every field a client sets on a job — its type, range, default and one-line doc — written
 * once. The types, the defaults, PUT's merge, the audit log's diff, the API's request and reply schemas (so
 * OpenAPI), the store's model, the CLI's flags and the web form all come from it. Browser-safe (no `node:`):
 * the web UI bundles it.
 */

/** The cron fields a job may carry: ndscheduler's five, plus `week` and `second` as extensions. */
export const JOB_CRON_FIELDS = ['month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
export type JobCronField = (typeof JOB_CRON_FIELDS)[number];

export const DEFAULT_RETRY_BACKOFF_SEC = 10;

/** A worker tag: what WORKER_TAGS and a job's worker_tags hold. Safe in a queue name and a Redis key. */
export const WORKER_TAG_PATTERN = '^[a-z0-9_-]+$';
export const MAX_WORKER_TAG_LENGTH = 64;
export const MAX_JOB_WORKER_TAGS = 16;
/**
 * How an upstream execution must end for a chained job (`after`) to run: `succeeded`; `failed` (failed or
 * timed out); `finished` (any end of a run: those, or stopped). A fire refused before it ran (`scheduled
 * error`) is no execution that ended, and triggers nothing.
 */
export const CHAIN_ON = ['succeeded', 'failed', 'finished'] as const;
export type ChainOn = (typeof CHAIN_ON)[number];

const cron = (description: string) =>
  Type.Union([Type.String({ maxLength: 256 }), Type.Integer({ minimum: 0 })], {
    description: `${description} (APScheduler cron syntax); omitted fields are filled in as APScheduler does`,
  });
const url = (description: string) =>
  Type.Union([Type.String({ pattern: '^https?://\\S+$', maxLength: 2048 }), Type.Null()], {
    default: null,
    description,
  });

export const JobFields = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 512, description: 'What the job is called' }),
  job_class_string: Type.String({
    minLength: 1,
    maxLength: 512,
    description: 'The job class a worker runs, e.g. simple_scheduler.jobs.sample_job.AwesomeJob',
  }),
  pub_args: Type.Array(Type.Unknown(), {
    maxItems: 1000,
    default: [],
    description: 'The arguments the job class is run with: a JSON array',
  }),
  month: cron('Months, 1-12 or jan-dec'),
  day: cron('Days of the month, 1-31 or last'),
  week: cron('ISO weeks of the year, 1-53'),
  day_of_week: cron('Days of the week, 0-6 (mon-sun) or mon-sun'),
  hour: cron('Hours, 0-23'),
  minute: cron('Minutes, 0-59'),
  second: cron('Seconds, 0-59'),
  cron: Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()], {
    default: null,
    description:
      'A crontab line instead of the fields above: "*/5 * * * *", 6 fields with seconds first, or @daily etc.; 0 and 7 are Sunday',
  }),
  after: Type.Union(
    [
      Type.Object(
        {
          job_id: Type.String({ minLength: 1, maxLength: 64, description: 'The upstream job' }),
          on: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('finished')], {
            description: 'How its execution must end: succeeded, failed (or timeout) or finished (any end)',
          }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ],
    {
      default: null,
      description:
        'Run once after each execution of another job that ends so: {"job_id": "...", "on": "succeeded"}; with no schedule given, only then',
    },
  ),
  timezone: Type.String({
    minLength: 1,
    maxLength: 64,
    description: "The IANA time zone the schedule is read in (default: the server's TIMEZONE)",
  }),
  timeout: Type.Union([Type.Integer({ minimum: 1, maximum: 604_800 }), Type.Null()], {
    default: null,
    description: 'Seconds a run may take before it is stopped and recorded as timeout; none if empty',
  }),
  misfire_grace_sec: Type.Union([Type.Integer({ minimum: 0, maximum: 31_536_000 }), Type.Null()], {
    default: null,
    description: 'Seconds a fire may be picked up late and still run (default: JOB_MISFIRE_GRACE_SEC)',
  }),
  max_instances: Type.Union([Type.Integer({ minimum: 1, maximum: 10_000 }), Type.Null()], {
    default: null,
    description: 'Runs of this job allowed at once across the fleet (default: JOB_MAX_INSTANCES)',
  }),
  retries: Type.Integer({
    minimum: 0,
    maximum: 100,
    default: 0,
    description: 'Times a failed run (the job failed, or its worker was lost) is run again; 0 = never',
  }),
  retry_backoff_sec: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    default: DEFAULT_RETRY_BACKOFF_SEC,
    description: 'Seconds before the first re-run; each further one waits twice as long',
  }),
  notify_webhook_url: url('Receives a JSON POST for each failed, timed-out or skipped run (a secret)'),
  notify_slack_url: url('A Slack incoming-webhook URL told of each failed, timed-out or skipped run (a secret)'),
  description: Type.String({ maxLength: 2000, default: '', description: 'A free-text note on the job, for people' }),
  worker_tags: Type.Array(Type.String({ pattern: WORKER_TAG_PATTERN, maxLength: MAX_WORKER_TAG_LENGTH }), {
    maxItems: MAX_JOB_WORKER_TAGS,
    default: [],
    description:
      'Runs only on a worker started with all of these tags (WORKER_TAGS), e.g. ["backup", "eu"]; letters a-z, digits, _ and -; none: any worker',
  }),
});

export type JobFieldName = keyof typeof JobFields.properties;
/** Every field, in the order the API shows them (ndscheduler's first). */
export const JOB_FIELD_NAMES = Object.keys(JobFields.properties) as JobFieldName[];
/** The fields a new job must be given (besides one cron field). */
export const REQUIRED_JOB_FIELDS = ['name', 'job_class_string'] as const;
/** The fields that are not part of the schedule (the cron fields, the crontab line and timezone). */
export const JOB_OPTION_FIELDS = JOB_FIELD_NAMES.filter(
  (field) => field !== 'timezone' && field !== 'cron' && !(JOB_CRON_FIELDS as readonly string[]).includes(field),
) as Array<Exclude<JobFieldName, JobCronField | 'cron' | 'timezone'>>;

/** A job's fields as a client gives them (cron fields as text or numbers). */
export type JobFieldValues = Static<typeof JobFields>;

/** The schema of one field. */
export function jobFieldSchema(field: JobFieldName): TSchema & { description: string; default?: unknown } {
  return JobFields.properties[field] as unknown as TSchema & { description: string; default?: unknown };
}

/** The field's default, for a field that has one. */
export function jobFieldDefault(field: JobFieldName): unknown {
  const value = jobFieldSchema(field).default;
  return Array.isArray(value) ? [...value] : value;
}

/** What a field holds, as a form or a command line must read it. */
export type JobFieldKind =
  | 'text'
  | 'cron'
  | 'crontab'
  | 'json-array'
  | 'tags'
  | 'chain'
  | 'integer'
  | 'optional-integer'
  | 'optional-url';

export function jobFieldKind(field: JobFieldName): JobFieldKind {
  if ((JOB_CRON_FIELDS as readonly string[]).includes(field)) return 'cron';
  if (field === 'cron') return 'crontab';
  if (field === 'worker_tags') return 'tags';
  if (field === 'after') return 'chain';
  const schema = jobFieldSchema(field) as TSchema & { type?: string; anyOf?: Array<{ type?: string }> };
  if (schema.type === 'array') return 'json-array';
  if (schema.type === 'integer') return 'integer';
  if (schema.type === 'string') return 'text';
  const first = schema.anyOf?.[0]?.type;
  if (first === 'integer') return 'optional-integer';
  if (first === 'string') return 'optional-url';
  throw new Error(`job field ${field}: no kind for its schema`);
}

import { JOB_CRON_FIELDS, JOB_FIELD_NAMES, type JobFieldName, jobFieldSchema } from '@tickwork/domain';
import { type TSchema, Type } from 'typebox';

/** Every error answer: 4xx for the request, 503 while MongoDB is unavailable. */
export const ErrorReply = Type.Object(
  { error: Type.String() },
  {
    description: 'What went wrong, in words',
    examples: [{ error: 'Job not found: 0123456789abcdef0123456789abcdef' }],
  },
);

/**
 * A route's replies: its success answers plus the error answers every route may give. Each route gets copies:
 * the OpenAPI generator moves examples out of the schemas it is given, which would strip a shared one.
 */
export function replies(ok: Record<number, TSchema>): Record<string, TSchema> {
  const copy = <T>(schema: T): T => JSON.parse(JSON.stringify(schema));
  return { ...copy(ok), '4xx': copy(ErrorReply), 503: copy(ErrorReply) };
}

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A job as shown: its id, each field of the job contract as stored (cron fields as text, the notify URLs
 * hidden from viewers) and next_run_time.
 */
function shownJobField(field: JobFieldName): TSchema {
  const { description } = jobFieldSchema(field);
  if ((JOB_CRON_FIELDS as readonly string[]).includes(field)) return Type.String({ description });
  if (field === 'notify_webhook_url' || field === 'notify_slack_url') {
    return Nullable(Type.String({ description: `${description}; viewers see "(hidden from viewers)"` }));
  }
  return jobFieldSchema(field);
}

export const JobView = Type.Object(
  {
    job_id: Type.String(),
    ...Object.fromEntries(JOB_FIELD_NAMES.map((field) => [field, shownJobField(field)])),
    next_run_time: Type.String({
      description: "the next fire in the job's time zone; '' when paused, or when the job runs only after another",
    }),
    paused: Type.Optional(
      Type.Boolean({
        description: "Shown for a job with `after` only (its next_run_time '' does not say it): whether it is paused",
      }),
    ),
  },
  {
    examples: [
      {
        job_id: 'd8f376e858a411e4b6ae22000ac58d05',
        name: 'My first job',
        job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
        pub_args: ['arg1', 2],
        month: '*',
        day: '*',
        week: '*',
        day_of_week: '*',
        hour: '*',
        minute: '*/1',
        second: '0',
        cron: null,
        after: null,
        timezone: 'UTC',
        timeout: null,
        misfire_grace_sec: null,
        max_instances: null,
        retries: 0,
        retry_backoff_sec: 10,
        notify_webhook_url: null,
        notify_slack_url: null,
        description: '',
        worker_tags: [],
        next_run_time: '2026-11-27T10:01:00.000000+00:00',
      },
      {
        job_id: '5b1c0e9a7d2f4e6a8c3b1d0f9e8a7c6b',
        name: 'Report after the import',
        job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
        pub_args: [],
        month: '',
        day: '',
        week: '',
        day_of_week: '',
        hour: '',
        minute: '',
        second: '',
        cron: null,
        after: { job_id: 'd8f376e858a411e4b6ae22000ac58d05', on: 'succeeded' },
        timezone: 'UTC',
        timeout: null,
        misfire_grace_sec: null,
        max_instances: null,
        retries: 0,
        retry_backoff_sec: 10,
        notify_webhook_url: null,
        notify_slack_url: null,
        description: '',
        worker_tags: [],
        next_run_time: '',
        paused: false,
      },
    ],
  },
);

const EXECUTION_EXAMPLE = {
  execution_id: '1752e360a7b54af18386a598e1a52acb',
  state: 'succeeded',
  hostname: 'host-a',
  pid: 4242,
  task_id: 'manual-1752e360a7b54af18386a598e1a52acb',
  description: '',
  result: '{"returncode": 0}',
  scheduled_time: '2026-11-27T10:00:00.000000+00:00',
  updated_time: '2026-11-27T10:00:00.250000+00:00',
};

export const ExecutionView = Type.Object(
  {
    execution_id: Type.String(),
    state: Type.String({
      description: 'scheduled, running, stopping, stopped, failed, succeeded, timeout or scheduled error',
    }),
    hostname: Type.String(),
    pid: Type.Integer(),
    task_id: Type.String(),
    description: Type.String(),
    result: Type.String({ description: "the job's return value as JSON text, or the stack trace" }),
    scheduled_time: Type.String(),
    updated_time: Type.String(),
    job: Type.Object({ ...JobView.properties, task_name: Type.String() }, { description: 'the job as it was run' }),
    attempts: Type.Array(
      Type.Object({
        state: Type.String(),
        hostname: Type.String(),
        pid: Type.Integer(),
        description: Type.String(),
        result: Type.String(),
        started_time: Type.String(),
        ended_time: Type.String(),
      }),
      { description: "earlier attempts of this fire that failed and were run again (the job's retries)" },
    ),
  },
  { examples: [{ ...EXECUTION_EXAMPLE, attempts: [] }] },
);

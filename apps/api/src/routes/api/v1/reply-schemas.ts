import { type TSchema, Type } from 'typebox';

/** Every error answer: 4xx for the request, 503 while MongoDB is unavailable. */
export const ErrorReply = Type.Object(
  { error: Type.String() },
  {
    description: 'What went wrong, in words',
    examples: [{ error: 'Job not found: 0123456789abcdef0123456789abcdef' }],
  },
);

/** A route's replies: its success answers plus the error answers every route may give. */
export function replies(ok: Record<number, TSchema>): Record<string, TSchema> {
  return { ...ok, '4xx': ErrorReply, 503: ErrorReply };
}

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const JobView = Type.Object(
  {
    job_id: Type.String(),
    name: Type.String(),
    job_class_string: Type.String(),
    pub_args: Type.Array(Type.Unknown()),
    month: Type.String(),
    day: Type.String(),
    week: Type.String(),
    day_of_week: Type.String(),
    hour: Type.String(),
    minute: Type.String(),
    second: Type.String(),
    timezone: Type.String(),
    timeout: Nullable(Type.Integer()),
    misfire_grace_sec: Nullable(Type.Integer()),
    max_instances: Nullable(Type.Integer()),
    retries: Type.Integer(),
    retry_backoff_sec: Type.Integer(),
    notify_webhook_url: Nullable(Type.String()),
    notify_slack_url: Nullable(Type.String()),
    next_run_time: Type.String({ description: "the next fire in the job's time zone; '' when paused" }),
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
        timezone: 'UTC',
        timeout: null,
        misfire_grace_sec: null,
        max_instances: null,
        retries: 0,
        retry_backoff_sec: 10,
        notify_webhook_url: null,
        notify_slack_url: null,
        next_run_time: '2026-11-27T10:01:00.000000+00:00',
      },
    ],
  },
);

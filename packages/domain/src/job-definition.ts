import { type Static, Type } from 'typebox';
import { CronFieldError } from './cron/cron-field.js';
import { CronTrigger } from './cron/cron-trigger.js';
import { CrontabError, CrontabTrigger } from './cron/crontab-trigger.js';
import type { FieldName } from './cron/expressions.js';
import { isValidTimeZone } from './cron/zoned-time.js';
import { newId } from './ids.js';
import type { ChainLink } from './job-chain.js';
import {
  JOB_CRON_FIELDS,
  JOB_FIELD_NAMES,
  JOB_OPTION_FIELDS,
  type JobCronField,
  JobFields,
  type JobFieldValues,
  jobFieldDefault,
  REQUIRED_JOB_FIELDS,
} from './job-contract.js';
import type { Role } from './role.js';
import { refuseUnknownFields } from './unknown-fields.js';
import { utf8ByteLength } from './utf8.js';
import { ValidationError } from './validation-error.js';
import { normalizeWorkerTags } from './worker-tags.js';

/**
 * A job's schedule as stored: the APScheduler fields, normalized, or a crontab line (`cron`), and the zone
 * either is read in. Jobs stored before `cron` existed have none (read as null).
 */
export type JobSchedule = Record<JobCronField, string> & { cron?: string | null; timezone: string };

/**
 * A job's settings as stored: the contract's fields (job-contract.ts), the schedule normalized to text.
 * Jobs stored before `after` existed have none (read as null).
 */
export type JobSettings = Omit<JobFieldValues, JobCronField | 'cron' | 'timezone' | 'after'> &
  JobSchedule & { after?: ChainLink | null };

/**
 * What a job with a crontab line shows in the APScheduler fields: '*' each. They are not used (the line
 * is the schedule; next_run_time says when it fires), and '*' is what APScheduler shows for a field that
 * restricts nothing. Not the fields stored before: a client reading them would take them for the schedule
 * still in force; not a translation of the line: crontab's day-of-month OR day-of-week has no APScheduler
 * equivalent, and a translation for some lines only would be a second meaning to keep right.
 */
export const CRONTAB_JOB_FIELDS: Readonly<Record<JobCronField, string>> = Object.freeze(
  Object.fromEntries(JOB_CRON_FIELDS.map((field) => [field, '*'])) as Record<JobCronField, string>,
);

/**
 * What a job that runs only after another (`after` and no schedule) shows in the APScheduler fields: ''
 * each, and next_run_time ''. Not '*': that would read as every second. It has no BullMQ scheduler.
 */
export const UNSCHEDULED_JOB_FIELDS: Readonly<Record<JobCronField, string>> = Object.freeze(
  Object.fromEntries(JOB_CRON_FIELDS.map((field) => [field, ''])) as Record<JobCronField, string>,
);

/** True for a job that has no schedule of its own: it runs only after its upstream job (and when run now). */
export function isUnscheduled(schedule: JobSchedule): boolean {
  return !schedule.cron && JOB_CRON_FIELDS.every((field) => schedule[field] === '');
}

/**
 * A stored job: what GET /api/v1/jobs/:id shows, less next_run_time (computed when read), and less
 * author_role, which is Tickwork's own and never shown (ndscheduler's answers keep their shape).
 */
export type JobDefinition = JobSettings & {
  job_id: string;
  paused: boolean;
  /**
   * The role of whoever last created or changed the job: a worker runs it only if that role may use its
   * class (classRoleRefusal). Absent on jobs saved before roles were recorded: those count as an admin's.
   */
  author_role?: Role;
};

/**
 * A job as the store holds it: its definition, when it was added, and its revision (the time of its last
 * change, in ms), which fires carry so a worker can tell a current definition from a stale one.
 */
export type StoredJob = JobDefinition & {
  created_time: number;
  revision: number;
};

/** A job's definition without its paused flag: what an execution keeps and (less author_role) what the API shows. */
export type JobSummary = Omit<JobDefinition, 'paused'>;

/**
 * The job as a run takes it along — with a fire, in a run-now's queue entry, in the execution's record:
 * its summary and the role of its author, which the worker checks against the class.
 */
export function runSnapshot(job: JobSummary): JobSummary {
  const summary = jobSummary(job);
  return job.author_role ? { ...summary, author_role: job.author_role } : summary;
}

/** Picks exactly the summary fields, in ndscheduler's order, from anything that has them (never author_role). */
export function jobSummary(job: JobSummary): JobSummary {
  const summary: Record<string, unknown> = { job_id: job.job_id };
  for (const field of JOB_FIELD_NAMES) summary[field] = job[field] ?? jobFieldDefault(field);
  return summary as JobSummary;
}

/** POST /api/v1/jobs: the contract's fields, name and class required. Others are refused (refuseUnknownJobFields). */
export const NewJobSchema = Type.Evaluate(
  Type.Intersect([Type.Pick(JobFields, REQUIRED_JOB_FIELDS), Type.Partial(Type.Omit(JobFields, REQUIRED_JOB_FIELDS))]),
);
export type NewJob = Static<typeof NewJobSchema>;

/** PUT /api/v1/jobs/:id: any subset; cron fields given replace the whole schedule, as in ndscheduler. */
export const JobChangesSchema = Type.Partial(JobFields);
export type JobChanges = Static<typeof JobChangesSchema>;

/** What POST and PUT take: the contract's fields. */
export const JOB_INPUT_FIELDS: readonly string[] = JOB_FIELD_NAMES;
/** What a GET of a job shows that cannot be set: a client echoing a job back sends them; they are ignored. */
export const ECHOED_JOB_FIELDS = ['job_id', 'next_run_time'] as const;

/** A 400 (ValidationError) naming each field of a job body that is none of these, with what it likely meant. */
export function refuseUnknownJobFields(body: unknown): void {
  refuseUnknownFields(body, JOB_INPUT_FIELDS, ECHOED_JOB_FIELDS);
}

export type CronFieldsInput = Partial<Record<JobCronField, string | number>> & { cron?: string | null };

function givenCronFields(input: CronFieldsInput): CronFieldsInput {
  const given: CronFieldsInput = {};
  for (const field of JOB_CRON_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== null) given[field] = value;
  }
  return given;
}

export function hasCronFields(input: CronFieldsInput): boolean {
  return Object.keys(givenCronFields(input)).length > 0;
}

/** The most a job's arguments may hold, as JSON, and how deep they may nest. */
export const MAX_ARGUMENTS_BYTES = 64 * 1024;
export const MAX_ARGUMENTS_DEPTH = 32;

/**
 * A job's arguments as given, if the store can hold them faithfully: any JSON (nested lists, keys with `$`,
 * `.` or NUL — they are stored as one JSON string), but no number JSON cannot write back (`1e400`), at most
 * MAX_ARGUMENTS_BYTES and MAX_ARGUMENTS_DEPTH deep. Throws a ValidationError saying which limit.
 */
export function jobArguments(args: unknown[]): unknown[] {
  const visit = (value: unknown, depth: number, path: string): void => {
    if (depth > MAX_ARGUMENTS_DEPTH) {
      throw new ValidationError('pub_args', `pub_args: nested deeper than ${MAX_ARGUMENTS_DEPTH} levels at ${path}`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ValidationError('pub_args', `pub_args: ${path} is a number JSON cannot hold (${value})`);
    }
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, depth + 1, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, depth + 1, `${path}[${JSON.stringify(k)}]`);
    }
  };
  visit(args, 0, 'pub_args');
  const bytes = utf8ByteLength(JSON.stringify(args));
  if (bytes > MAX_ARGUMENTS_BYTES) {
    throw new ValidationError('pub_args', `pub_args: ${bytes} bytes as JSON, at most ${MAX_ARGUMENTS_BYTES} allowed`);
  }
  return args;
}

/**
 * A new job from POST /api/v1/jobs input: its schedule normalized (throws a ValidationError naming a bad
 * field), the options it omits at their defaults, active, under a new id.
 */
export function newJobDefinition(input: NewJob, defaultTimeZone: string): JobDefinition {
  const options = Object.fromEntries(JOB_OPTION_FIELDS.map((field) => [field, input[field] ?? jobFieldDefault(field)]));
  const timezone = input.timezone ?? defaultTimeZone;
  // A chained job given no schedule runs only after its upstream; every other job needs a schedule, as before.
  const onlyAfter = Boolean(input.after) && schedulesNothing(input);
  return {
    job_id: newId(),
    ...(options as Pick<JobSettings, (typeof JOB_OPTION_FIELDS)[number]>),
    name: input.name,
    job_class_string: input.job_class_string,
    pub_args: jobArguments(input.pub_args ?? []),
    worker_tags: normalizeWorkerTags(input.worker_tags ?? []),
    ...(onlyAfter ? unscheduled(timezone) : normalizeSchedule(input, timezone)),
    paused: false,
  };
}

/**
 * True when the input gives no schedule: no crontab line, and each APScheduler field absent or '' — what a
 * job that runs only after another shows, so echoing one back keeps it so.
 */
function schedulesNothing(input: CronFieldsInput): boolean {
  return (
    typeof input.cron !== 'string' &&
    JOB_CRON_FIELDS.every((field) => input[field] === undefined || input[field] === null || input[field] === '')
  );
}

/** True when the input names APScheduler fields and every one is '': "no schedule", asked for. */
function dropsSchedule(input: CronFieldsInput): boolean {
  return schedulesNothing(input) && JOB_CRON_FIELDS.some((field) => input[field] === '');
}

function unscheduled(timezone: string): JobSchedule {
  if (!isValidTimeZone(timezone)) {
    throw new ValidationError('timezone', `timezone: unknown time zone ${JSON.stringify(timezone)}`);
  }
  return { ...UNSCHEDULED_JOB_FIELDS, cron: null, timezone };
}

/**
 * A job after PUT: the fields given replace the stored ones (null clears an optional one); cron fields given
 * replace the whole schedule, as in ndscheduler; the schedule is normalized again (throws a ValidationError).
 */
export function mergeJobChanges(before: JobDefinition, changes: JobChanges): JobDefinition {
  const given = Object.fromEntries(
    JOB_OPTION_FIELDS.flatMap((field) => (changes[field] === undefined ? [] : [[field, changes[field]]])),
  );
  const merged = { ...before, ...given } as JobDefinition;
  const timezone = changes.timezone ?? before.timezone;
  return {
    ...merged,
    pub_args: changes.pub_args === undefined ? before.pub_args : jobArguments(changes.pub_args),
    worker_tags: normalizeWorkerTags(changes.worker_tags ?? before.worker_tags ?? []),
    ...(keepsUnscheduled(before, merged, changes)
      ? unscheduled(timezone)
      : normalizeSchedule(scheduleChanges(before, changes), timezone)),
  };
}

/**
 * True when the job is to run only after another: it did and no schedule is given, or its APScheduler
 * fields are given as '' (the schedule dropped). Without an `after` that is refused: nothing would run it.
 */
function keepsUnscheduled(before: JobDefinition, merged: JobDefinition, changes: JobChanges): boolean {
  const dropping = dropsSchedule(changes);
  if (!dropping && (!isUnscheduled(before) || hasCronFields(changes) || typeof changes.cron === 'string')) {
    return false;
  }
  if (!merged.after && dropping) {
    throw new ValidationError(
      'schedule',
      `schedule: empty APScheduler fields mean no schedule, for a job that runs only after another: give after too`,
    );
  }
  if (!merged.after) {
    throw new ValidationError(
      'after',
      `after: this job runs only after another; to drop after, give it a schedule (${JOB_CRON_FIELDS.join(', ')}, or cron) in the same PUT`,
    );
  }
  return true;
}

/**
 * The schedule a PUT asks for. APScheduler fields given replace the schedule and drop a crontab line (both
 * given: a 400 from normalizeSchedule); a crontab line given replaces the schedule; neither keeps it.
 * `cron: null` alone on a job that has a line is refused: its APScheduler fields are '*' placeholders
 * (CRONTAB_JOB_FIELDS), and falling back to them would fire every second.
 */
function scheduleChanges(before: JobDefinition, changes: JobChanges): CronFieldsInput {
  if (hasCronFields(changes)) return changes;
  if (typeof changes.cron === 'string') return { cron: changes.cron };
  if (before.cron) {
    if (changes.cron === null) {
      throw new ValidationError(
        'cron',
        `cron: to drop the crontab line, give the APScheduler fields to use instead (${JOB_CRON_FIELDS.join(', ')}) in the same PUT`,
      );
    }
    return { cron: before.cron };
  }
  return Object.fromEntries(JOB_CRON_FIELDS.map((field) => [field, before[field]]));
}

/**
 * A schedule must fire within this many years to be taken: room for every leap day, and few enough that
 * checking one that never fires costs milliseconds, not the second and more a search of the whole 400-year
 * calendar takes. (A leap day on a given weekday, which fires every 28 years, is refused.)
 */
export const SCHEDULE_HORIZON_YEARS = 8;

/**
 * Compiles cron fields the way APScheduler does and returns every field in canonical text (omitted ones
 * filled in). Throws a ValidationError naming the field for an unknown zone or a bad expression, and for a
 * schedule that never fires (`week: 1` with `month: 2-11`, `day: 31` with `month: 2`).
 */
export function normalizeSchedule(input: CronFieldsInput, timezone: string, now = Date.now()): JobSchedule {
  if (!isValidTimeZone(timezone)) {
    throw new ValidationError('timezone', `timezone: unknown time zone ${JSON.stringify(timezone)}`);
  }
  const given = givenCronFields(input);
  if (typeof input.cron === 'string') return crontabSchedule(input.cron, Object.keys(given), timezone, now);
  if (Object.keys(given).length === 0) {
    throw new ValidationError('schedule', `at least one of ${JOB_CRON_FIELDS.join(', ')}, or cron, is required`);
  }
  let trigger: CronTrigger;
  try {
    trigger = new CronTrigger(given as Partial<Record<FieldName, string | number>>, timezone);
  } catch (err) {
    if (err instanceof CronFieldError) throw new ValidationError(err.field, err.message);
    throw err;
  }
  if (trigger.nextFireTime(now, SCHEDULE_HORIZON_YEARS) === null) {
    throw new ValidationError(
      'schedule',
      `schedule: these fields never match together, so the job would never run (no fire time in the next ${SCHEDULE_HORIZON_YEARS} years)`,
    );
  }
  const fields = trigger.describe();
  return {
    month: fields.month,
    day: fields.day,
    week: fields.week,
    day_of_week: fields.day_of_week,
    hour: fields.hour,
    minute: fields.minute,
    second: fields.second,
    cron: null,
    timezone,
  };
}

/** normalizeSchedule for a crontab line: checked by CrontabTrigger, alone, and firing within the horizon. */
function crontabSchedule(line: string, alsoGiven: string[], timezone: string, now: number): JobSchedule {
  if (alsoGiven.length > 0) {
    throw new ValidationError(
      'cron',
      `cron and ${alsoGiven.join(', ')}: give either a crontab line (cron) or APScheduler fields, not both`,
    );
  }
  let trigger: CrontabTrigger;
  try {
    trigger = new CrontabTrigger(line, timezone);
  } catch (err) {
    if (err instanceof CrontabError) throw new ValidationError('cron', err.message);
    throw err;
  }
  if (trigger.nextFireTime(now, SCHEDULE_HORIZON_YEARS) === null) {
    throw new ValidationError(
      'cron',
      `cron: ${JSON.stringify(trigger.line)} never matches, so the job would never run (no fire time in the next ${SCHEDULE_HORIZON_YEARS} years)`,
    );
  }
  return { ...CRONTAB_JOB_FIELDS, cron: trigger.line, timezone };
}

/** What the API, the preview and BullMQ's repeat strategy ask of a schedule: APScheduler's or crontab's. */
export interface ScheduleTrigger {
  nextFireTime(fromMs: number, withinYears?: number): number | null;
}

const triggers = new Map<string, ScheduleTrigger>();

/** The trigger of a job with no schedule (it runs only after another): it never fires. */
const NEVER: ScheduleTrigger = { nextFireTime: () => null };

/**
 * The trigger of a stored (already normalized) schedule: its crontab line's when it has one, else its
 * APScheduler fields'. Compiled triggers are kept, since the API's next_run_time and BullMQ's repeat
 * strategy ask for the same few schedules over and over.
 */
export function triggerFor(schedule: JobSchedule): ScheduleTrigger {
  if (isUnscheduled(schedule)) return NEVER;
  const key = `${schedule.timezone} ${schedulePattern(schedule)}`;
  let trigger = triggers.get(key);
  if (!trigger) {
    if (triggers.size > 50_000) triggers.clear();
    trigger = schedule.cron
      ? new CrontabTrigger(schedule.cron, schedule.timezone)
      : new CronTrigger(
          Object.fromEntries(JOB_CRON_FIELDS.map((f) => [f, schedule[f]])) as Partial<Record<FieldName, string>>,
          schedule.timezone,
        );
    triggers.set(key, trigger);
  }
  return trigger;
}

/**
 * The schedule as one stable string: BullMQ's scheduler `pattern`, read back by our repeat strategy.
 * `{"cron": line}` for a crontab line; the APScheduler fields otherwise, as before `cron` existed, so the
 * schedulers of existing jobs compare equal and are left alone.
 */
export function schedulePattern(schedule: JobSchedule): string {
  if (schedule.cron) return JSON.stringify({ cron: schedule.cron });
  return JSON.stringify(Object.fromEntries(JOB_CRON_FIELDS.map((f) => [f, schedule[f]])));
}

export function scheduleFromPattern(pattern: string, timezone: string): JobSchedule {
  const parsed = JSON.parse(pattern) as Partial<Record<JobCronField | 'cron', string>>;
  if (typeof parsed.cron === 'string') return { ...CRONTAB_JOB_FIELDS, cron: parsed.cron, timezone };
  return { ...(parsed as Record<JobCronField, string>), cron: null, timezone };
}

/** Plain-text "field: old => new" lines for the audit log's `modified` event. */
export function describeChanges(before: JobDefinition, after: JobDefinition): string {
  return JOB_FIELD_NAMES.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: ${JSON.stringify(before[k])} => ${JSON.stringify(after[k])}`)
    .join('\n');
}

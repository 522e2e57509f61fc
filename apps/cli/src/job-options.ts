import {
  CHAIN_ON,
  type ChainOn,
  JOB_FIELD_NAMES,
  type JobFieldName,
  jobFieldKind,
  jobFieldSchema,
} from '@tickwork/domain/job-contract';
import { type Command, InvalidArgumentError, Option } from 'commander';

/** `--day-of-week` for day_of_week: every job field is a flag of its own name. */
export function flagOf(field: JobFieldName): string {
  return `--${field.replaceAll('_', '-')}`;
}

/** The key commander gives a flag's value (`dayOfWeek`). */
function optionKey(field: JobFieldName): string {
  return field.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

const NONE = 'none';
/** What `none` parses to: commander does not keep a parser's null as the value. */
const CLEAR = Symbol('clear');

/** Reads a flag's text as the field's kind asks: a whole number, JSON, `none` for an empty optional field. */
function parserFor(field: JobFieldName): (value: string) => unknown {
  const kind = jobFieldKind(field);
  const whole = (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${field} must be a whole number`);
    return Number(value);
  };
  switch (kind) {
    case 'integer':
      return whole;
    case 'optional-integer':
      return (value) => (value === NONE ? CLEAR : whole(value));
    case 'optional-url':
    case 'crontab':
      return (value) => (value === NONE ? CLEAR : value);
    case 'tags':
      // "backup,eu"; the API checks each tag. `none` is no tags (any worker).
      return (value) =>
        value === NONE
          ? []
          : value
              .split(',')
              .map((tag) => tag.trim())
              .filter((tag) => tag !== '');
    case 'chain':
      // JOB_ID, or JOB_ID:on (on: succeeded, the default, failed or finished).
      return (value) => {
        if (value === NONE) return CLEAR;
        const [jobId, on = 'succeeded', ...rest] = value.split(':');
        if (!jobId || rest.length > 0 || !(CHAIN_ON as readonly string[]).includes(on)) {
          throw new InvalidArgumentError(`${field} must be JOB_ID or JOB_ID:${CHAIN_ON.join('|')}`);
        }
        return { job_id: jobId, on: on as ChainOn };
      };
    case 'json-array':
      return (value) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          throw new InvalidArgumentError(`${field} must be a JSON array, e.g. '["arg1", 2]'`);
        }
        if (!Array.isArray(parsed)) throw new InvalidArgumentError(`${field} must be a JSON array, e.g. '["arg1", 2]'`);
        return parsed;
      };
    default:
      return (value) => value;
  }
}

/** The help line: the contract's doc, and how to leave an optional field empty. */
function helpFor(field: JobFieldName): string {
  const { description } = jobFieldSchema(field);
  const kind = jobFieldKind(field);
  if (kind === 'tags') return `${description} (comma-separated, e.g. backup,eu; "${NONE}" for none)`;
  if (kind === 'chain') {
    return `Run after each execution of job JOB_ID that ends so (JOB_ID[:${CHAIN_ON.join('|')}], succeeded if not said); with no schedule given, only then ("${NONE}" to clear)`;
  }
  return kind.startsWith('optional-') || kind === 'crontab' ? `${description} ("${NONE}" to clear)` : description;
}

/**
 * Adds a flag for every field of the job contract to `command` (its doc as help, its kind's parser), and
 * the short names earlier versions had: `--class` for --job-class-string, `--args` for --pub-args.
 */
export function addJobOptions(command: Command): Command {
  for (const field of JOB_FIELD_NAMES) {
    const kind = jobFieldKind(field);
    const value =
      field === 'pub_args'
        ? 'json'
        : kind === 'cron'
          ? 'expr'
          : field === 'cron'
            ? 'line'
            : kind === 'tags'
              ? 'tags'
              : field === 'after'
                ? 'job_id[:on]'
                : 'value';
    command.addOption(new Option(`${flagOf(field)} <${value}>`, helpFor(field)).argParser(parserFor(field)));
  }
  command.addOption(
    new Option('--class <job_class_string>', 'same as --job-class-string').argParser(parserFor('job_class_string')),
  );
  command.addOption(new Option('--args <json>', 'same as --pub-args').argParser(parserFor('pub_args')));
  return command;
}

/** The job fields the options give, as the API takes them. */
export function jobFieldsFrom(options: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.class !== undefined) body.job_class_string = options.class;
  if (options.args !== undefined) body.pub_args = options.args;
  for (const field of JOB_FIELD_NAMES) {
    const value = options[optionKey(field)];
    if (value !== undefined) body[field] = value === CLEAR ? null : value;
  }
  return body;
}

import {
  JOB_OPTION_FIELDS,
  type JobFieldName,
  jobFieldDefault,
  jobFieldKind,
  jobFieldSchema,
} from '@tickwork/domain/job-contract';
import { Value } from 'typebox/value';

/** The job fields the dialog shows as plain inputs: the contract's options but the ones with controls of their own. */
export const FORM_OPTION_FIELDS = JOB_OPTION_FIELDS.filter(
  (field) => field !== 'name' && field !== 'job_class_string' && field !== 'pub_args' && field !== 'after',
);
export type FormOptionField = (typeof FORM_OPTION_FIELDS)[number];

const LABELS: Partial<Record<JobFieldName, string>> = {
  timeout: 'Timeout (s)',
  notify_webhook_url: 'Webhook on failure',
  notify_slack_url: 'Slack on failure',
  worker_tags: 'Worker tags (comma-separated)',
};

/** "Retry backoff (s)" for retry_backoff_sec: a field's label, its name in words unless named above. */
export function optionLabel(field: JobFieldName): string {
  const words = field.replace(/_sec$/, ' (s)').replaceAll('_', ' ');
  return LABELS[field] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** The value to send for what was typed: blank is the field's default (none, for an optional one). */
export function readOption(field: JobFieldName, text: string): unknown {
  const trimmed = text.trim();
  const kind = jobFieldKind(field);
  if (kind === 'tags') {
    return trimmed
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
  }
  if (trimmed === '') return jobFieldDefault(field) ?? (kind === 'text' ? '' : null);
  if (kind === 'integer' || kind === 'optional-integer') return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  return trimmed;
}

/** What is wrong with what was typed, by the contract's schema, in words; null when it is fine. */
export function optionProblem(field: JobFieldName, text: string): string | null {
  const value = readOption(field, text);
  const schema = jobFieldSchema(field);
  if (Value.Check(schema, value)) return null;
  const kind = jobFieldKind(field);
  if ((kind === 'integer' || kind === 'optional-integer') && typeof value !== 'number') return 'a whole number';
  const error = [...Value.Errors(schema, value)].find((e) => e.keyword !== 'anyOf' && e.message !== 'must be null');
  if (kind === 'tags') return 'tags of letters a-z, digits, _ and -, separated by commas (at most 16)';
  if (error?.keyword === 'pattern') return 'an http:// or https:// address';
  return error?.message ?? 'not a valid value';
}

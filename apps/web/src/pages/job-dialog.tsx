import { CHAIN_ON, type ChainOn, jobFieldDefault, jobFieldKind, jobFieldSchema } from '@tickwork/domain/job-contract';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Alert } from '../components/alert.js';
import { Modal } from '../components/modal.js';
import { ApiFailure, api, errorText } from '../lib/api.js';
import { runsOnlyAfter } from '../lib/chains.js';
import { FORM_OPTION_FIELDS, type FormOptionField, optionLabel, optionProblem, readOption } from '../lib/job-fields.js';
import { parseArguments } from '../lib/json-args.js';
import { localTime, utcTime } from '../lib/time.js';
import { CRON_FIELDS, type CronField, type Job, type JobClass } from '../lib/types.js';

const FIELD_LABELS: Record<CronField, string> = {
  second: 'Second',
  minute: 'Minute',
  hour: 'Hour',
  day: 'Day of month',
  month: 'Month',
  day_of_week: 'Day of week',
  week: 'ISO week',
};

/** No schedule: what a job that runs only after another sends (and shows) in its APScheduler fields. */
const NO_SCHEDULE = Object.fromEntries(CRON_FIELDS.map((f) => [f, ''])) as Record<CronField, string>;

const ON_WORDS: Record<ChainOn, string> = {
  succeeded: 'succeeded',
  failed: 'failed (or timed out)',
  finished: 'finished (any end)',
};

const NEW_SCHEDULE: Record<CronField, string> = {
  second: '0',
  minute: '*/5',
  hour: '*',
  day: '*',
  month: '*',
  day_of_week: '*',
  week: '*',
};

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/** A label and its control, tied by id (a label wrapped around a select would take the value into its name). */
function Field(props: { id: string; label: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <div class={props.wide ? 'field wide' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

interface Preview {
  times: string[];
  error: string | null;
}

/**
 * New and Edit job: the class picker shows each class's notes, argument help and example; arguments are
 * checked as JSON while typed; the next five fire times come from the server's own cron engine. A job may
 * run after another job (a select of the jobs there are), and then also by its schedule or only then.
 */
export function JobDialog(props: {
  job: Job | null;
  /** Every job, to pick the one this one runs after. */
  jobs: Job[];
  classes: JobClass[];
  defaultTimezone: string;
  onClose: () => void;
  onSaved: (jobId: string, created: boolean) => void;
}) {
  const { job } = props;
  const [name, setName] = useState(job?.name ?? '');
  const [classString, setClassString] = useState(job?.job_class_string ?? props.classes[0]?.job_class_string ?? '');
  const [argsText, setArgsText] = useState(job ? JSON.stringify(job.pub_args) : '[]');
  // A crontab job's APScheduler fields are '*' placeholders, a job only after another's are '': either
  // starts from the defaults.
  const [schedule, setSchedule] = useState<Record<CronField, string>>(
    job && !job.cron && !runsOnlyAfter(job)
      ? (Object.fromEntries(CRON_FIELDS.map((f) => [f, job[f]])) as Record<CronField, string>)
      : NEW_SCHEDULE,
  );
  const [cronLine, setCronLine] = useState(job?.cron ?? '');
  const [afterJob, setAfterJob] = useState(job?.after?.job_id ?? '');
  const [afterOn, setAfterOn] = useState<ChainOn>(job?.after?.on ?? 'succeeded');
  const [onlyAfterChosen, setOnlyAfter] = useState(job ? runsOnlyAfter(job) : false);
  const onlyAfter = afterJob !== '' && onlyAfterChosen;
  // Only after another job: no schedule ('' fields). Else a crontab line, when one is typed, is the
  // schedule; else the fields, and no line (on PUT: dropped).
  const scheduleBody = useMemo(
    () =>
      onlyAfter
        ? { ...NO_SCHEDULE, cron: null }
        : cronLine.trim()
          ? { cron: cronLine.trim() }
          : { ...schedule, cron: null },
    [cronLine, schedule, onlyAfter],
  );
  const upstreams = props.jobs.filter((j) => j.job_id !== job?.job_id);
  const byLine = cronLine.trim() !== '';
  const [timezone, setTimezone] = useState(job?.timezone ?? props.defaultTimezone);
  // Every other field of the job contract, as typed: checked against the contract's schema as you type.
  const [options, setOptions] = useState<Record<FormOptionField, string>>(
    () =>
      Object.fromEntries(
        FORM_OPTION_FIELDS.map((field) => [field, String((job ? job[field] : jobFieldDefault(field)) ?? '')]),
      ) as Record<FormOptionField, string>,
  );
  const problems = FORM_OPTION_FIELDS.flatMap((field) => {
    const problem = optionProblem(field, options[field]);
    return problem ? [[field, problem] as const] : [];
  });
  const problemOf = (field: FormOptionField) => problems.find(([f]) => f === field)?.[1] ?? null;
  const [preview, setPreview] = useState<Preview>({ times: [], error: null });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const classes = useMemo(() => {
    const known = props.classes.slice();
    if (job && !known.some((c) => c.job_class_string === job.job_class_string)) {
      known.push({ job_class_string: job.job_class_string, notes: '', arguments: [], example_arguments: '' });
    }
    return known;
  }, [props.classes, job]);
  const selected = classes.find((c) => c.job_class_string === classString);
  const parsedArgs = parseArguments(argsText);
  const argsError = 'error' in parsedArgs ? parsedArgs.error : null;

  // The preview follows the fields as they are typed, a moment after the last key.
  useEffect(() => {
    let cancelled = false;
    if (onlyAfter) {
      setPreview({ times: [], error: null });
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const answer = await api<{ next_run_times: string[] }>('POST', '/api/v1/schedule-preview', {
          ...scheduleBody,
          timezone,
          count: 5,
        });
        if (!cancelled) setPreview({ times: answer.next_run_times, error: null });
      } catch (err) {
        if (!cancelled) setPreview({ times: [], error: errorText(err) });
      }
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [scheduleBody, timezone, onlyAfter]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (argsError) return setError(`Arguments: ${argsError}`);
    const [bad] = problems;
    if (bad) return setError(`${optionLabel(bad[0])}: ${bad[1]}`);
    const body = {
      name,
      job_class_string: classString,
      pub_args: 'args' in parsedArgs ? parsedArgs.args : [],
      ...scheduleBody,
      timezone,
      after: afterJob ? { job_id: afterJob, on: afterOn } : null,
      ...Object.fromEntries(FORM_OPTION_FIELDS.map((field) => [field, readOption(field, options[field])])),
    };
    setSaving(true);
    try {
      if (job) {
        await api('PUT', `/api/v1/jobs/${job.job_id}`, body);
        props.onSaved(job.job_id, false);
      } else {
        const created = await api<{ job_id: string }>('POST', '/api/v1/jobs', body);
        props.onSaved(created.job_id, true);
      }
    } catch (err) {
      setError(err instanceof ApiFailure ? `Not saved: ${err.message}` : errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={job ? `Edit job ${job.name}` : 'New job'} onClose={props.onClose} wide>
      <form class="job-form" onSubmit={submit}>
        <Alert message={error} />
        <Field id="job-name" label="Name">
          <input
            id="job-name"
            name="name"
            title={jobFieldSchema('name').description}
            required
            maxLength={512}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="job-class" label="Job class">
          <select
            id="job-class"
            name="job_class_string"
            value={classString}
            onChange={(e) => setClassString(e.currentTarget.value)}
            required
          >
            {classes.length === 0 && <option value="">No worker is up: no classes to choose from</option>}
            {classes.map((c) => (
              <option key={c.job_class_string} value={c.job_class_string}>
                {c.job_class_string}
              </option>
            ))}
          </select>
        </Field>
        {selected && (
          <section class="class-help" aria-label="About this job class">
            {selected.notes && <p class="notes">{selected.notes}</p>}
            {selected.arguments.length > 0 && (
              <ol class="arg-help">
                {selected.arguments.map((a) => (
                  <li key={a.description}>
                    <code>{a.type}</code> {a.description}
                  </li>
                ))}
              </ol>
            )}
            {selected.example_arguments && (
              <p>
                Example: <code>{selected.example_arguments}</code>{' '}
                <button type="button" onClick={() => setArgsText(selected.example_arguments)}>
                  Use example
                </button>
              </p>
            )}
          </section>
        )}
        <Field id="job-args" label="Arguments (JSON array)">
          <textarea
            id="job-args"
            name="pub_args"
            rows={2}
            value={argsText}
            spellcheck={false}
            aria-invalid={argsError ? 'true' : 'false'}
            aria-describedby="args-check"
            onInput={(e) => setArgsText(e.currentTarget.value)}
          />
        </Field>
        <p id="args-check" class={argsError ? 'field-error' : 'field-ok'} aria-live="polite">
          {argsError ?? `✓ ${'args' in parsedArgs ? parsedArgs.args.length : 0} argument(s)`}
        </p>
        <fieldset class="chain-fields">
          <legend>Run after another job</legend>
          <Field id="job-after" label="Run after" wide>
            <select
              id="job-after"
              name="after"
              title={jobFieldSchema('after').description}
              value={afterJob}
              onChange={(e) => setAfterJob(e.currentTarget.value)}
            >
              <option value="">No job: by its schedule only</option>
              {job?.after && !upstreams.some((j) => j.job_id === job.after?.job_id) && (
                <option value={job.after.job_id}>deleted job {job.after.job_id}</option>
              )}
              {upstreams.map((j) => (
                <option key={j.job_id} value={j.job_id}>
                  {j.name} ({j.job_id.slice(0, 8)})
                </option>
              ))}
            </select>
          </Field>
          <Field id="job-after-on" label="When its run" wide>
            <select
              id="job-after-on"
              name="after_on"
              value={afterOn}
              disabled={!afterJob}
              onChange={(e) => setAfterOn(e.currentTarget.value as ChainOn)}
            >
              {CHAIN_ON.map((on) => (
                <option key={on} value={on}>
                  {ON_WORDS[on]}
                </option>
              ))}
            </select>
          </Field>
          <div class="field wide">
            <label>
              <input
                id="job-only-after"
                type="checkbox"
                checked={onlyAfter}
                disabled={!afterJob}
                onChange={(e) => setOnlyAfter(e.currentTarget.checked)}
              />{' '}
              Only then (no schedule of its own)
            </label>
          </div>
        </fieldset>
        <fieldset class="cron" disabled={onlyAfter}>
          <legend>Schedule (APScheduler cron fields, or a crontab line)</legend>
          <Field id="job-cron" label="Crontab line (instead of the fields)" wide>
            <input
              id="job-cron"
              name="cron"
              class="mono"
              placeholder="e.g. */5 * * * * or @daily"
              title={jobFieldSchema('cron').description}
              maxLength={256}
              value={cronLine}
              spellcheck={false}
              onInput={(e) => setCronLine(e.currentTarget.value)}
            />
          </Field>
          {CRON_FIELDS.map((field) => (
            <Field key={field} id={`cron-${field}`} label={FIELD_LABELS[field]}>
              <input
                id={`cron-${field}`}
                name={field}
                value={schedule[field]}
                disabled={byLine}
                title={byLine ? 'The crontab line is the schedule' : undefined}
                spellcheck={false}
                onInput={(e) => setSchedule({ ...schedule, [field]: e.currentTarget.value })}
              />
            </Field>
          ))}
          <Field id="job-timezone" label="Timezone" wide>
            <input
              id="job-timezone"
              name="timezone"
              list="time-zones"
              value={timezone}
              onInput={(e) => setTimezone(e.currentTarget.value)}
              required
            />
            <datalist id="time-zones">
              {timeZones().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </Field>
        </fieldset>
        <section class="preview" aria-live="polite" aria-label="Next run times">
          <h3>Next 5 runs</h3>
          {onlyAfter ? (
            <p>Only after the job it runs after: once for each of its runs that {ON_WORDS[afterOn]}.</p>
          ) : preview.error ? (
            <p class="field-error">{preview.error}</p>
          ) : (
            <ol>
              {preview.times.map((time) => (
                <li key={time}>
                  {localTime(time)} <span class="muted">({utcTime(time)})</span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <fieldset class="run-options">
          <legend>Runs and notices</legend>
          {FORM_OPTION_FIELDS.map((field) => {
            const problem = problemOf(field);
            const { description } = jobFieldSchema(field);
            return (
              <Field
                key={field}
                id={`job-${field}`}
                label={optionLabel(field)}
                wide={jobFieldKind(field) === 'optional-url' || jobFieldKind(field) === 'text'}
              >
                <input
                  id={`job-${field}`}
                  name={field}
                  title={description}
                  placeholder={jobFieldDefault(field) === null ? 'none' : ''}
                  value={options[field]}
                  spellcheck={false}
                  aria-invalid={problem ? 'true' : 'false'}
                  aria-describedby={problem ? `job-${field}-problem` : undefined}
                  onInput={(e) => setOptions({ ...options, [field]: e.currentTarget.value })}
                />
                {problem && (
                  <small id={`job-${field}-problem`} class="field-error">
                    {problem}
                  </small>
                )}
              </Field>
            );
          })}
        </fieldset>
        <div class="buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={saving || Boolean(argsError) || problems.length > 0}>
            {job ? 'Save changes' : 'Create job'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

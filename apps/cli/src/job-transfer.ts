import { JOB_CRON_FIELDS, JOB_FIELD_NAMES, type JobFieldValues } from '@tickwork/domain/job-contract';

/** A job as ndscheduler's or Tickwork's GET /api/v1/jobs shows it: the contract's fields, and what a GET adds. */
export type TransferJob = Pick<JobFieldValues, 'name' | 'job_class_string'> &
  Partial<JobFieldValues> & {
    /** Present in GET answers: '' (or null) when the job is paused. */
    next_run_time?: string | null;
    job_id?: string;
  };

/** The fields that define a job besides its name and class, which match it: all the contract's others. */
const DEFINING = JOB_FIELD_NAMES.filter((field) => field !== 'name' && field !== 'job_class_string');

export type PlanStep =
  | { action: 'create'; job: TransferJob; paused: boolean }
  | { action: 'update'; job: TransferJob; targetId: string; paused: boolean; changes: string[] }
  | { action: 'unchanged'; job: TransferJob; targetId: string };

/** A job counts as paused when its listing shows no next run (how both ndscheduler and Tickwork show it). */
export function isPaused(job: TransferJob): boolean {
  return 'next_run_time' in job && !job.next_run_time;
}

/**
 * What a POST /api/v1/jobs needs: the defining fields the source gave, nothing it computed. A job with a
 * crontab line (`cron`) shows '*' in its APScheduler fields, which are not its schedule: they are left out
 * (the API refuses both together).
 */
export function jobBody(job: TransferJob): Record<string, unknown> {
  const body: Record<string, unknown> = { name: job.name, job_class_string: job.job_class_string };
  const skipped: readonly string[] = job.cron ? JOB_CRON_FIELDS : [];
  for (const key of DEFINING) if (job[key] !== undefined && !skipped.includes(key)) body[key] = job[key];
  return body;
}

/**
 * Matches source jobs to the target's by name and class (a second import finds them all and changes
 * nothing); a match whose fields or paused state differ is updated, the rest are created.
 */
export function planImport(source: readonly TransferJob[], target: readonly TransferJob[]): PlanStep[] {
  const byKey = new Map(target.map((job) => [`${job.name}\u0000${job.job_class_string}`, job]));
  return source.map((job): PlanStep => {
    const existing = byKey.get(`${job.name}\u0000${job.job_class_string}`);
    const paused = isPaused(job);
    if (!existing?.job_id) return { action: 'create', job, paused };
    const changes = DEFINING.filter(
      (key) => job[key] !== undefined && JSON.stringify(job[key]) !== JSON.stringify(existing[key]),
    ).map(String);
    if (paused !== isPaused(existing)) changes.push(paused ? 'paused' : 'resumed');
    if (changes.length === 0) return { action: 'unchanged', job, targetId: existing.job_id };
    return { action: 'update', job, targetId: existing.job_id, paused, changes };
  });
}

export function describeStep(step: PlanStep): string {
  const what = `"${step.job.name}" (${step.job.job_class_string})`;
  if (step.action === 'create') return `create ${what}${step.paused ? ', paused' : ''}`;
  if (step.action === 'update') return `update ${what}: ${step.changes.join(', ')}`;
  return `unchanged ${what}`;
}

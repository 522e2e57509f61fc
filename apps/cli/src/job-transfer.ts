import { JOB_CRON_FIELDS, JOB_FIELD_NAMES, type JobFieldValues } from '@tickwork/domain/job-contract';

/** A job as ndscheduler's or Tickwork's GET /api/v1/jobs shows it: the contract's fields, and what a GET adds. */
export type TransferJob = Pick<JobFieldValues, 'name' | 'job_class_string'> &
  Partial<JobFieldValues> & {
    /** Present in GET answers: '' (or null) when the job is paused. */
    next_run_time?: string | null;
    job_id?: string;
    /** Shown for a job with `after` (Tickwork's), whose next_run_time '' does not say it is paused. */
    paused?: boolean;
  };

/** The fields that define a job besides its name and class, which match it: all the contract's others. */
const DEFINING = JOB_FIELD_NAMES.filter((field) => field !== 'name' && field !== 'job_class_string');

export type PlanStep =
  | { action: 'create'; job: TransferJob; paused: boolean }
  | { action: 'update'; job: TransferJob; targetId: string; paused: boolean; changes: string[] }
  | { action: 'unchanged'; job: TransferJob; targetId: string };

/** A job counts as paused when its listing shows no next run (how both ndscheduler and Tickwork show it). */
export function isPaused(job: TransferJob): boolean {
  if (typeof job.paused === 'boolean') return job.paused;
  return 'next_run_time' in job && !job.next_run_time;
}

/** A job that runs only after another: its APScheduler fields are '' (no schedule), not to be sent. */
function isUnscheduled(job: TransferJob): boolean {
  return Boolean(job.after) && !job.cron && JOB_CRON_FIELDS.every((field) => job[field] === '');
}

/**
 * What a POST /api/v1/jobs needs: the defining fields the source gave, nothing it computed. A job with a
 * crontab line (`cron`) shows '*' in its APScheduler fields, which are not its schedule: they are left out
 * (the API refuses both together); so are the '' fields of a job that runs only after another.
 */
export function jobBody(job: TransferJob): Record<string, unknown> {
  const body: Record<string, unknown> = { name: job.name, job_class_string: job.job_class_string };
  const skipped: readonly string[] = job.cron || isUnscheduled(job) ? JOB_CRON_FIELDS : [];
  for (const key of DEFINING) if (job[key] !== undefined && !skipped.includes(key)) body[key] = job[key];
  return body;
}

/**
 * Matches source jobs to the target's by name and class (a second import finds them all and changes
 * nothing); a match whose fields or paused state differ is updated, the rest are created.
 */
export function planImport(source: readonly TransferJob[], target: readonly TransferJob[]): PlanStep[] {
  const byKey = new Map(target.map((job) => [`${job.name}\u0000${job.job_class_string}`, job]));
  const matched = new Map<string, string>();
  for (const job of source) {
    const existing = byKey.get(`${job.name}\u0000${job.job_class_string}`);
    if (job.job_id && existing?.job_id) matched.set(job.job_id, existing.job_id);
  }
  return upstreamsFirst(source).map((sourceJob): PlanStep => {
    // A chained job's upstream is compared by the id it has (or will have) in the target.
    const job = withAfterMapped(sourceJob, matched);
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

/** The job with its `after` naming the upstream's id in the target, where the map knows it. */
export function withAfterMapped(job: TransferJob, ids: ReadonlyMap<string, string>): TransferJob {
  if (!job.after) return job;
  return { ...job, after: { ...job.after, job_id: ids.get(job.after.job_id) ?? job.after.job_id } };
}

/**
 * The jobs with each upstream (`after`) before the jobs waiting for it, so an import creates it first;
 * otherwise in their order. A cycle (the API refuses them) or a chain longer than the list ends the walk.
 */
function upstreamsFirst(jobs: readonly TransferJob[]): TransferJob[] {
  const byId = new Map(jobs.flatMap((job) => (job.job_id ? [[job.job_id, job] as const] : [])));
  const done = new Set<TransferJob>();
  const ordered: TransferJob[] = [];
  const visit = (job: TransferJob, depth: number) => {
    if (done.has(job)) return;
    done.add(job);
    const upstream = job.after ? byId.get(job.after.job_id) : undefined;
    if (upstream && depth < jobs.length) visit(upstream, depth + 1);
    ordered.push(job);
  };
  for (const job of jobs) visit(job, 0);
  return ordered;
}

/** The fields that define a job, as ndscheduler's GET /api/v1/jobs shows them (Tickwork adds some). */
export interface TransferJob {
  name: string;
  job_class_string: string;
  pub_args?: unknown[];
  month?: string;
  day?: string;
  week?: string;
  day_of_week?: string;
  hour?: string;
  minute?: string;
  second?: string;
  timezone?: string;
  timeout?: number | null;
  max_instances?: number | null;
  misfire_grace_sec?: number | null;
  retries?: number;
  retry_backoff_sec?: number;
  notify_webhook_url?: string | null;
  notify_slack_url?: string | null;
  /** Present in GET answers: '' (or null) when the job is paused. */
  next_run_time?: string | null;
  job_id?: string;
}

const DEFINING = [
  'pub_args',
  'month',
  'day',
  'week',
  'day_of_week',
  'hour',
  'minute',
  'second',
  'timezone',
  'timeout',
  'max_instances',
  'misfire_grace_sec',
  'retries',
  'retry_backoff_sec',
  'notify_webhook_url',
  'notify_slack_url',
] as const;

export type PlanStep =
  | { action: 'create'; job: TransferJob; paused: boolean }
  | { action: 'update'; job: TransferJob; targetId: string; paused: boolean; changes: string[] }
  | { action: 'unchanged'; job: TransferJob; targetId: string };

/** A job counts as paused when its listing shows no next run (how both ndscheduler and Tickwork show it). */
export function isPaused(job: TransferJob): boolean {
  return 'next_run_time' in job && !job.next_run_time;
}

/** What a POST /api/v1/jobs needs: the defining fields the source gave, nothing it computed. */
export function jobBody(job: TransferJob): Record<string, unknown> {
  const body: Record<string, unknown> = { name: job.name, job_class_string: job.job_class_string };
  for (const key of DEFINING) if (job[key] !== undefined) body[key] = job[key];
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

import type { Job } from './types.js';

/** Whether a job is paused: said outright by a job with `after`, else by its empty next run (ndscheduler's way). */
export function isJobPaused(job: Pick<Job, 'next_run_time' | 'paused'>): boolean {
  return typeof job.paused === 'boolean' ? job.paused : job.next_run_time === '';
}

/** A job with no schedule of its own: it runs only after its upstream (its APScheduler fields are ''). */
export function runsOnlyAfter(job: Job): boolean {
  return Boolean(job.after) && !job.cron && job.minute === '' && job.second === '';
}

/** "after "nightly import" succeeded": what a job waits for, by the upstream's name while it exists. */
export function afterInWords(job: Job, byId: ReadonlyMap<string, Job>): string | null {
  if (!job.after) return null;
  const upstream = byId.get(job.after.job_id);
  const way = job.after.on === 'finished' ? 'finished (any end)' : job.after.on;
  return upstream ? `after "${upstream.name}" ${way}` : `after job ${job.after.job_id} ${way} (that job was deleted)`;
}

/** The jobs that wait for each job, by upstream id, in the list's order. */
export function dependantsByJob(jobs: readonly Job[]): Map<string, Job[]> {
  const waiting = new Map<string, Job[]>();
  for (const job of jobs) {
    if (!job.after) continue;
    const list = waiting.get(job.after.job_id) ?? [];
    list.push(job);
    waiting.set(job.after.job_id, list);
  }
  return waiting;
}

import { ExecutionState, type JobDefinition, jobSummary, type NewJob, newId, newJobDefinition } from '@tickwork/domain';
import type { ExecutionDocument, JobDocument, Store } from '@tickwork/store';

const BATCH = 1000;

/** Cron fields as the API takes them. */
export type Schedule = Omit<NewJob, 'name' | 'job_class_string'>;

/** A job definition as POST /api/v1/jobs makes it, scheduled in UTC. */
export function benchJob(name: string, jobClassString: string, schedule: Schedule): JobDefinition {
  return newJobDefinition({ name, job_class_string: jobClassString, ...schedule }, 'UTC');
}

/**
 * Writes `count` job definitions straight into MongoDB, a thousand per insert: setting up 100,000 through
 * the API would measure the setup, not the scenario. Returns them in the order written.
 */
export async function seedJobs(
  store: Store,
  count: number,
  jobClassString: string,
  schedule: Schedule,
): Promise<JobDefinition[]> {
  const jobs: JobDefinition[] = [];
  const base = Date.now() - count;
  for (let start = 0; start < count; start += BATCH) {
    const docs: JobDocument[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const job = benchJob(`bench job ${i}`, jobClassString, schedule);
      jobs.push(job);
      const { job_id, ...rest } = job;
      const created = new Date(base + i);
      docs.push({ _id: job_id, ...rest, created_time: created, updated_time: created });
    }
    await store.connection.collection<JobDocument>('jobs').insertMany(docs);
  }
  return jobs;
}

/** Writes `count` succeeded executions of `job`, their scheduled times spread evenly over [start, end). */
export async function seedExecutions(store: Store, job: JobDefinition, count: number, start: Date, end: Date) {
  const step = (end.getTime() - start.getTime()) / count;
  for (let first = 0; first < count; first += BATCH) {
    const docs: ExecutionDocument[] = [];
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      const scheduled = new Date(start.getTime() + Math.floor(i * step));
      docs.push({
        _id: newId(),
        job_id: job.job_id,
        fire_key: `${job.job_id}@${scheduled.getTime()}`,
        state: ExecutionState.succeeded,
        hostname: 'bench',
        pid: 1,
        task_id: '',
        description: '',
        result: 'null',
        scheduled_time: scheduled,
        updated_time: new Date(scheduled.getTime() + 20),
        attempt: newId(),
        lease_until: null,
        started_time: new Date(scheduled.getTime() + 5),
        run_after: null,
        output: '',
        attempts: [],
        job: jobSummary(job),
      });
    }
    await store.connection.collection<ExecutionDocument>('executions').insertMany(docs);
  }
}

import {
  AuditEvent,
  bucketOf,
  dayOf,
  ExecutionState,
  fireExecutionId,
  type JobDefinition,
  jobSummary,
  type NewJob,
  newId,
  newJobDefinition,
} from '@tickwork/domain';
import { importEndedExecutions } from '@tickwork/ledger';
import type { JobDocument, Store } from '@tickwork/store';

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
      const { job_id, pub_args, ...rest } = job;
      const created = new Date(base + i);
      docs.push({
        _id: job_id,
        ...rest,
        pub_args_json: JSON.stringify(pub_args),
        created_time: created,
        updated_time: created,
      });
    }
    await store.connection.collection<JobDocument>('jobs').insertMany(docs);
  }
  return jobs;
}

/** Writes `count` succeeded executions of `job`, their scheduled times spread evenly over [start, end). */
export async function seedExecutions(store: Store, job: JobDefinition, count: number, start: Date, end: Date) {
  const step = (end.getTime() - start.getTime()) / count;
  const summary = jobSummary(job);
  await importEndedExecutions(
    store,
    (function* () {
      for (let i = 0; i < count; i++) {
        const scheduled = start.getTime() + Math.floor(i * step);
        yield {
          execution_id: fireExecutionId(job.job_id, scheduled),
          job: summary,
          scheduled_time: scheduled,
          state: ExecutionState.succeeded,
          hostname: 'bench',
          pid: 1,
          task_id: '',
          description: '',
          result: 'null',
          output: '',
          started_time: scheduled + 5,
          ended_time: scheduled + 20,
        };
      }
    })(),
  );
}

/** Writes `count` audit entries (a run-now each), their times spread evenly over [start, end) (ms). */
export async function seedAuditEntries(store: Store, count: number, start: number, end: number) {
  const step = (end - start) / count;
  const audit = store.connection.collection('audit_logs');
  for (let first = 0; first < count; first += BATCH) {
    const docs = [];
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      const at = start + Math.floor(i * step);
      docs.push({
        _id: newId() as never,
        job_id: 'bench',
        job_name: 'bench',
        event: AuditEvent.customRun,
        user: 'bench',
        description: newId(),
        created_time: new Date(at),
        bucket: bucketOf(at),
        day: dayOf(at),
      });
    }
    await audit.insertMany(docs);
  }
}

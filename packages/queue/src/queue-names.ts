/** The one BullMQ queue every run goes through, under QUEUE_PREFIX. */
export const QUEUE_NAME = 'runs';

/** BullMQ job names: a fire of a job's scheduler, or a run-now request. */
export const SCHEDULED_RUN = 'scheduled';
export const MANUAL_RUN = 'manual';

/** Scheduler ids carry no ':' and are never all digits (BullMQ treats both specially). */
export function schedulerIdFor(jobId: string): string {
  return `job_${jobId}`;
}

export function jobIdOfScheduler(schedulerId: string): string | null {
  return schedulerId.startsWith('job_') ? schedulerId.slice(4) : null;
}

export function manualRunIdFor(executionId: string): string {
  return `manual-${executionId}`;
}

export interface ScheduledRunData {
  job_id: string;
}

export interface ManualRunData {
  job_id: string;
  execution_id: string;
}

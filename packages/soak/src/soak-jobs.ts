/** The soak's mix of jobs: fast and slow, every 2 s to every minute, failing, timing out, limited to one at once. */
export interface SoakJobSpec {
  name: string;
  /** The job's fields besides name and class. */
  fields: Record<string, unknown>;
  /** Run-now bursts pick from these. */
  runNow?: boolean;
}

const CLASS = 'soak.jobs.soak_job.SoakJob';

/** SoakJob's arguments: how long a run works (ms) and how often it fails (percent). */
const args = (durationMs: number, failPercent = 0) => ({
  job_class_string: CLASS,
  pub_args: [durationMs, failPercent],
});

export const SOAK_JOBS: readonly SoakJobSpec[] = [
  { name: 'every 2 s', fields: { ...args(50), second: '*/2' }, runNow: true },
  { name: 'every 5 s', fields: { ...args(200), second: '*/5' } },
  { name: 'every 5 s, offset', fields: { ...args(200), second: '1/5' }, runNow: true },
  {
    name: 'every 10 s, fails 30% (2 retries)',
    fields: { ...args(300, 30), second: '*/10', retries: 2, retry_backoff_sec: 1 },
    runNow: true,
  },
  { name: 'every 15 s, times out', fields: { ...args(5000), second: '*/15', timeout: 2 } },
  // Longer than the lease (6 s): its worker must keep renewing it, across pauses of other workers.
  { name: 'every 20 s, slower than the lease', fields: { ...args(9000), second: '*/20', max_instances: 1 } },
  // Each run outlasts the step: the next fire finds one running and is refused, once.
  { name: 'every 3 s, one at a time', fields: { ...args(4000), second: '*/3', max_instances: 1 } },
  { name: 'every 30 s', fields: { ...args(100), second: '*/30' }, runNow: true },
  { name: 'every minute', fields: { ...args(100), second: '0' } },
  { name: 'every minute, a crontab line', fields: { ...args(100), cron: '* * * * *' } },
];

/**
 * The soak's audit, pure: from the jobs, the execution records the store holds, what the job bodies logged
 * themselves and what the API answered, it counts every fire. No I/O, so each rule has a unit test.
 */

export interface Interval {
  from: number;
  to: number;
}

export interface AuditJob {
  job_id: string;
  name: string;
  /** Its schedule's fire times (ms) in [from, to). */
  fireTimes(from: number, to: number): number[];
  /** Fires due from here on count (the job's creation). */
  activeFrom: number;
}

export interface AuditExecution {
  execution_id: string;
  job_id: string;
  state: string;
  scheduled_ms: number;
  /** Earlier attempts of the same fire that failed and were run again (the job's retries). */
  attempts: number;
}

/** A line a soak job body appended for itself: when a run started, and how it ended. */
export interface RunLogLine {
  e: string;
  event: 'start' | 'end';
  outcome?: 'ok' | 'fail';
}

export interface AuditInput {
  jobs: readonly AuditJob[];
  executions: readonly AuditExecution[];
  /** Executions made by run-now: not fires of a schedule. */
  runNowIds: ReadonlySet<string>;
  runLog: readonly RunLogLine[];
  /** Fires due in [from, to) are audited: from the start to when the jobs were paused for the cool-down. */
  window: Interval;
  /** While no worker at all could run (killed, paused or cut off at once): a fire due then may be missing. */
  noWorker: readonly Interval[];
  /** Every answer the API gave the soak's client. */
  apiAnswers: ReadonlyArray<{ status: number; at: number }>;
  /** While the store was stopped (its 503s are promised; anything else 5xx is not). */
  storeDown: readonly Interval[];
  /** While Redis was down (a run-now or job change it cannot take is a promised 503). */
  redisDown: readonly Interval[];
}

export interface AuditReport {
  fires_due: number;
  recorded_once: number;
  duplicated: number;
  missing: number;
  /** Fires due while no worker could run that have no record (not violations). */
  excused: number;
  /** Records at a time the job's schedule does not fire. */
  off_schedule: number;
  /** Still scheduled, running or stopping after the cool-down. */
  stuck: number;
  /** Executions whose body started more often than its attempts allow. */
  runs_twice: number;
  /** A record whose state contradicts what its run logged (succeeded without a logged success, etc.). */
  inconsistent: number;
  api_requests: number;
  /** 5xx answers other than a 503 while the store or Redis was down. */
  api_errors: number;
  /** Those errors by status. */
  api_error_statuses: Record<string, number>;
  /** A few of each violation, to start from. */
  examples: string[];
}

const LIVE = new Set(['scheduled', 'running', 'stopping']);
/** A 503 just after the store came back is still the outage (connections re-established, a request in flight). */
const STORE_GRACE_MS = 10_000;

function within(intervals: readonly Interval[], at: number, slackMs = 0): boolean {
  return intervals.some((i) => at >= i.from && at < i.to + slackMs);
}

export function audit(input: AuditInput): AuditReport {
  const report: AuditReport = {
    fires_due: 0,
    recorded_once: 0,
    duplicated: 0,
    missing: 0,
    excused: 0,
    off_schedule: 0,
    stuck: 0,
    runs_twice: 0,
    inconsistent: 0,
    api_requests: input.apiAnswers.length,
    api_errors: 0,
    api_error_statuses: {},
    examples: [],
  };
  // A few of each kind, so that one kind's many do not hide another's.
  const shown = new Map<string, number>();
  const example = (what: string) => {
    const kind = what.slice(0, what.indexOf(':'));
    if ((shown.get(kind) ?? 0) >= 5) return;
    shown.set(kind, (shown.get(kind) ?? 0) + 1);
    report.examples.push(what);
  };

  const fires = new Map<string, AuditExecution[]>();
  for (const e of input.executions) {
    if (input.runNowIds.has(e.execution_id)) continue;
    const key = `${e.job_id} ${e.scheduled_ms}`;
    fires.set(key, [...(fires.get(key) ?? []), e]);
  }
  const jobs = new Map(input.jobs.map((job) => [job.job_id, job]));
  for (const [key, records] of fires) {
    const first = records[0] as AuditExecution;
    if (records.length > 1) {
      report.duplicated += records.length - 1;
      example(`duplicated: ${key} recorded ${records.length} times`);
    }
    const job = jobs.get(first.job_id);
    if (job && !job.fireTimes(first.scheduled_ms, first.scheduled_ms + 1).includes(first.scheduled_ms)) {
      report.off_schedule++;
      example(`off schedule: ${job.name} at ${new Date(first.scheduled_ms).toISOString()}`);
    }
  }
  for (const job of input.jobs) {
    for (const at of job.fireTimes(Math.max(input.window.from, job.activeFrom), input.window.to)) {
      const records = fires.get(`${job.job_id} ${at}`)?.length ?? 0;
      if (records === 0 && within(input.noWorker, at)) {
        report.excused++;
        continue;
      }
      report.fires_due++;
      if (records === 1) report.recorded_once++;
      if (records === 0) {
        report.missing++;
        example(`missing: ${job.name} at ${new Date(at).toISOString()}`);
      }
    }
  }

  const starts = new Map<string, number>();
  const succeeded = new Set<string>();
  const ends = new Map<string, string[]>();
  for (const line of input.runLog) {
    if (line.event === 'start') starts.set(line.e, (starts.get(line.e) ?? 0) + 1);
    else if (line.outcome) {
      if (line.outcome === 'ok') succeeded.add(line.e);
      ends.set(line.e, [...(ends.get(line.e) ?? []), line.outcome]);
    }
  }
  for (const e of input.executions) {
    if (LIVE.has(e.state)) {
      report.stuck++;
      example(`stuck: ${e.execution_id} ${e.state}`);
    }
    const started = starts.get(e.execution_id) ?? 0;
    if (started > 1 + e.attempts) {
      report.runs_twice++;
      example(`runs twice: ${e.execution_id} started ${started} times with ${e.attempts} earlier attempts`);
    }
    // Recorded succeeded: some attempt logged its success (a lost attempt may log its end after a later one).
    // A scheduled error is the last attempt refused before it ran: only the earlier attempts ran.
    const contradiction =
      (e.state === 'succeeded' && !succeeded.has(e.execution_id)) ||
      (e.state === 'scheduled error' && started > e.attempts);
    if (contradiction) {
      report.inconsistent++;
      example(
        `inconsistent: ${e.execution_id} is ${e.state} after ${e.attempts} earlier attempt(s); its run logged ${started} start(s), ends ${JSON.stringify(ends.get(e.execution_id) ?? [])}`,
      );
    }
  }

  for (const answer of input.apiAnswers) {
    if (answer.status < 500) continue;
    const outage = [...input.storeDown, ...input.redisDown];
    if (answer.status === 503 && within(outage, answer.at, STORE_GRACE_MS)) continue;
    report.api_errors++;
    report.api_error_statuses[answer.status] = (report.api_error_statuses[answer.status] ?? 0) + 1;
    example(`api: answered ${answer.status} at ${new Date(answer.at).toISOString()}`);
  }
  return report;
}

/** The audit passes when no fire is duplicated, missing, stuck or run twice and nothing contradicts. */
export function auditPassed(report: AuditReport): boolean {
  return (
    report.duplicated === 0 &&
    report.missing === 0 &&
    report.stuck === 0 &&
    report.runs_twice === 0 &&
    report.inconsistent === 0 &&
    report.off_schedule === 0 &&
    report.api_errors === 0
  );
}

/**
 * `npm run soak [-- --minutes N | --quick] [--seed S] [--json]`: 2 APIs and 3 workers on the embedded store,
 * a mix of jobs, faults injected at random (overlapping) for N minutes, a cool-down, then an audit of every
 * fire (audit.ts). Prints a table and, last, one JSON line; exits 1 when the audit finds a violation.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fireTimesWithin, type JobSchedule, triggerFor } from '@tickwork/domain';
import { waitFor } from '@tickwork/testing';
import { type AuditExecution, type AuditJob, audit, auditPassed, type RunLogLine } from './audit.js';
import { FaultInjector } from './fault-injector.js';
import { SeededRandom } from './random.js';
import { type ListedExecution, SoakClient } from './soak-client.js';
import { SoakFleet, say, Teardowns } from './soak-fleet.js';
import { SOAK_JOBS } from './soak-jobs.js';

export interface SoakOptions {
  minutes: number;
  seed: number;
  json: boolean;
  quick: boolean;
}

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const minutes = Number(value('--minutes') ?? (quick ? 3 : 10));
  const seed = Number(value('--seed') ?? Math.floor(Math.random() * 2 ** 31));
  if (!(minutes > 0) || !Number.isInteger(seed))
    throw new Error('usage: npm run soak -- [--minutes N | --quick] [--seed S] [--json]');
  return { minutes, seed, json: argv.includes('--json'), quick };
}

const LEASE_SEC = 6;
/** Quick runs need at least this many faults of this many kinds to count as a soak. */
const QUICK_MIN_FAULTS = 10;
const QUICK_MIN_KINDS = 5;

export async function main(argv: readonly string[]): Promise<number> {
  const options = parseSoakArgs(argv);
  say(`seed ${options.seed} (replay with --seed ${options.seed}), ${options.minutes} minute(s) of faults`);
  const teardowns = new Teardowns();
  const scratch = mkdtempSync(join(tmpdir(), 'tickwork-soak-'));
  teardowns.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const onSignal = () => void teardowns.run().then(() => process.exit(130));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const runLog = join(scratch, 'runs.jsonl');
    const fleet = new SoakFleet(teardowns, { leaseSec: LEASE_SEC }, runLog);
    await fleet.start();
    say(
      `fleet: 2 APIs, 3 workers${fleet.networkHosts ? ' (each in a network namespace of its own)' : ' (plain processes: not root)'}; store ${fleet.clusterSource}`,
    );
    const client = new SoakClient(fleet, new SeededRandom(options.seed ^ 0x5eed));
    const started = Date.now();
    const jobs = await client.createJobs(SOAK_JOBS);
    const faultsUntil = started + options.minutes * 60_000;
    const injector = new FaultInjector(fleet, new SeededRandom(options.seed), {
      until: faultsUntil,
      meanGapMs: options.quick ? 12_000 : 20_000,
      maxFaults: Math.max(30, options.minutes * 8),
      leaseMs: LEASE_SEC * 1000,
      storeDownMs: options.quick ? [10_000, 20_000] : [10_000, 40_000],
    });
    client.startTraffic(jobs);
    await injector.run();
    // Every fault has healed: pause the jobs, and audit fires due until shortly before (a fire due just then
    // may be taken by the pause).
    const pausedAt = Date.now();
    await client.pauseAll(jobs);
    client.stopTraffic();
    say('faults over, jobs paused: cooling down');
    await waitFor(
      'every execution to end',
      async () =>
        (await client.executions(started)).every((e) => !['scheduled', 'running', 'stopping'].includes(e.state)),
      240_000,
      2000,
    ).catch(() => say('the cool-down ended with executions still live'));

    const executions = await client.executions(started);
    const auditJobs = jobs.map((job): AuditJob => {
      const trigger = triggerFor(job.schedule as unknown as JobSchedule);
      return {
        job_id: job.job_id,
        name: job.name,
        activeFrom: job.createdAt,
        fireTimes: (from, to) => fireTimesWithin(trigger, from, to - 1),
      };
    });
    const report = audit({
      jobs: auditJobs,
      executions: executions.map(
        (e): AuditExecution => ({
          execution_id: e.execution_id,
          job_id: e.job.job_id,
          state: e.state,
          scheduled_ms: Date.parse(e.scheduled_time),
          attempts: e.attempts.length,
        }),
      ),
      runNowIds: runNows(executions, auditJobs, client),
      runLog: readRunLog(runLog),
      window: { from: started, to: pausedAt - 10_000 },
      noWorker: injector.noWorker,
      apiAnswers: client.answers,
      storeDown: injector.storeDown,
      redisDown: injector.redisDown,
    });
    const faults = injector.counts();
    const kinds = Object.keys(faults).length;
    const total = injector.faults.length;
    const enoughFaults = !options.quick || (total >= QUICK_MIN_FAULTS && kinds >= QUICK_MIN_KINDS);
    const passed = auditPassed(report) && enoughFaults;
    const summary = {
      seed: options.seed,
      started: new Date(started).toISOString(),
      minutes: options.minutes,
      fires_due: report.fires_due,
      recorded_once: report.recorded_once,
      duplicated: report.duplicated,
      missing: report.missing,
      excused: report.excused,
      off_schedule: report.off_schedule,
      stuck: report.stuck,
      runs_twice: report.runs_twice,
      inconsistent: report.inconsistent,
      executions: executions.length,
      run_nows: client.runNowIds.size,
      api_requests: report.api_requests,
      api_errors: report.api_errors,
      api_error_statuses: report.api_error_statuses,
      faults_injected: total,
      faults,
      passed,
    };
    printTable(summary, report.examples, injector.faults, started);
    if (!enoughFaults)
      say(`too few faults for a soak: ${total} of ${kinds} kinds (want ${QUICK_MIN_FAULTS} of ${QUICK_MIN_KINDS})`);
    console.log(JSON.stringify(summary));
    return passed ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await teardowns.run();
  }
}

/**
 * The executions run-now made: those answered 200, and a record made for one not answered so (a 503 when Redis
 * did not take it is recorded as a scheduled error) — off the job's schedule, at the time it was asked.
 */
function runNows(executions: readonly ListedExecution[], jobs: readonly AuditJob[], client: SoakClient): Set<string> {
  const ids = new Set(client.runNowIds);
  const byId = new Map(jobs.map((job) => [job.job_id, job]));
  for (const e of executions) {
    if (ids.has(e.execution_id)) continue;
    const at = Date.parse(e.scheduled_time);
    const asked = client.runNowRequests.some(
      (r) => r.job_id === e.job.job_id && at >= r.from - 1000 && at <= (Number.isNaN(r.to) ? Date.now() : r.to) + 1000,
    );
    const fire = byId
      .get(e.job.job_id)
      ?.fireTimes(at, at + 1)
      .includes(at);
    if (asked && !fire) ids.add(e.execution_id);
  }
  return ids;
}

function readRunLog(path: string): RunLogLine[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunLogLine);
}

function printTable(
  summary: Record<string, unknown>,
  examples: string[],
  faults: ReadonlyArray<{ kind: string; target: string; from: number; to: number }>,
  started: number,
): void {
  const rows = Object.entries(summary).filter(([, v]) => typeof v !== 'object');
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
  console.log('faults (seconds from start):');
  for (const f of faults) {
    console.log(
      `  ${((f.from - started) / 1000).toFixed(1).padStart(6)}–${((f.to - started) / 1000).toFixed(1).padEnd(6)} ${f.kind} ${f.target}`,
    );
  }
  if (examples.length) console.log(`violations, for example:\n  ${examples.join('\n  ')}`);
}

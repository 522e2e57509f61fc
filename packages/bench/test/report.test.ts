import t from 'tap';
import { spliceReport } from '../src/report.js';
import { judgeTargets } from '../src/results.js';
import type { FirePrecisionResult } from '../src/scenarios/fire-precision.js';

t.test('the tables replace only what a previous run wrote', async (t) => {
  const first = spliceReport(null, 'TABLES 1');
  t.match(first, /^# Benchmarks\n/);
  t.match(first, /TABLES 1/);
  const edited = `# Benchmarks\n\nWhat we changed and why.\n\n${first.slice(first.indexOf('<!--'))}\n## Notes\n\nKept.\n`;
  const second = spliceReport(edited, 'TABLES 2');
  t.match(second, /What we changed and why\./);
  t.match(second, /## Notes\n\nKept\./);
  t.match(second, /TABLES 2/);
  t.notMatch(second, /TABLES 1/);
});

t.test('fire targets: every job once, and p99 finish within the bound for its size', async (t) => {
  const fire = (jobs: number, p99: number, neverRan = 0): FirePrecisionResult => ({
    jobs,
    workers: 1,
    ran: jobs - neverRan,
    ran_twice: 0,
    never_ran: neverRan,
    states: {},
    start_lateness_ms: { p50: 1, p99, max: p99 },
    finish_lateness_ms: { p50: 1, p99, max: p99 },
    created_per_sec: 100,
    store_commands_per_fire: { total: 2, by_command: { 'insert execution_ledger': 2 } },
  });
  const base = {
    mode: 'quick' as const,
    date: '',
    machine: { cpu: '', cores: 2, memory_gib: 1, os: '' },
    versions: {},
  };
  const met = (f: FirePrecisionResult) => judgeTargets({ ...base, fire_precision: [f] })[0]?.met;
  t.equal(met(fire(1000, 1900)), true);
  t.equal(met(fire(1000, 2100)), false, 'N=1000 allows 2 s');
  t.equal(met(fire(1000, 900, 1)), false, 'one job that never ran fails it');
  t.equal(met(fire(10_000, 19_900)), true, 'N=10000 allows 20 s');
  t.equal(met(fire(10_000, 20_100)), false);
});

t.test(
  'the store alone is flat when its slowest figure keeps 80 % from the smallest size to the largest',
  async (t) => {
    const row = (stored: number, rate: number) => ({
      stored,
      inserts_per_sec: 1000,
      reads_per_sec: rate,
      updates_per_sec: 1000,
      executions_per_sec: 500,
    });
    const judged = (rate: number) =>
      judgeTargets({
        mode: 'quick',
        date: '',
        machine: { cpu: '', cores: 2, memory_gib: 1, os: '' },
        versions: {},
        store_limit: { server: '', parallel: 16, seconds_per_step: 1, rows: [row(10_000, 1000), row(1_000_000, rate)] },
      })[0];
    t.equal(judged(850)?.met, true);
    t.equal(judged(750)?.met, false);
    t.match(judged(750)?.measured, /falls to 75 %/);
  },
);

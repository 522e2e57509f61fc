// The soak's audit rules, one by one, on made-up records: what counts as a duplicate, a missing fire, an
// excused one, a stuck or twice-run execution, a contradiction and an API error.
import t from 'tap';
import { type AuditExecution, type AuditInput, audit, auditPassed } from '../src/audit.js';

const S = 1000;
/** A job firing every 10 s from 0. */
const job = {
  job_id: 'j1',
  name: 'every 10 s',
  activeFrom: 0,
  fireTimes(from: number, to: number) {
    const times: number[] = [];
    for (let at = Math.ceil(from / (10 * S)) * 10 * S; at < to; at += 10 * S) times.push(at);
    return times;
  },
};
const fire = (at: number, state = 'succeeded', id = `e${at}`, attempts = 0): AuditExecution => ({
  execution_id: id,
  job_id: 'j1',
  state,
  scheduled_ms: at,
  attempts,
});
const ran = (id: string, outcome: 'ok' | 'fail' = 'ok') => [
  { e: id, event: 'start' as const },
  { e: id, event: 'end' as const, outcome },
];

function input(overrides: Partial<AuditInput>): AuditInput {
  const executions = [0, 10, 20].map((s) => fire(s * S));
  return {
    jobs: [job],
    executions,
    runNowIds: new Set(),
    runLog: executions.flatMap((e) => ran(e.execution_id)),
    window: { from: 0, to: 30 * S },
    noWorker: [],
    apiAnswers: [{ status: 200, at: 0 }],
    storeDown: [],
    redisDown: [],
    ...overrides,
  };
}

t.test('every fire once, as its run logged: passes', async (t) => {
  const report = audit(input({}));
  t.match(report, { fires_due: 3, recorded_once: 3, duplicated: 0, missing: 0, stuck: 0, runs_twice: 0 });
  t.ok(auditPassed(report));
});

t.test('a fire recorded twice, one missing, one at a time off the schedule', async (t) => {
  const report = audit(
    input({ executions: [fire(0), fire(0, 'succeeded', 'again'), fire(20 * S), fire(25 * S)], runLog: [] }),
  );
  t.match(report, { duplicated: 1, missing: 1, off_schedule: 1, recorded_once: 1 });
  t.notOk(auditPassed(report));
  t.match(report.examples.join('\n'), /missing: every 10 s at 1970-01-01T00:00:10.000Z/);
});

t.test('a fire due while no worker could run may be missing: excused, not counted', async (t) => {
  const report = audit(input({ executions: [fire(0), fire(20 * S)], noWorker: [{ from: 5 * S, to: 15 * S }] }));
  t.match(report, { fires_due: 2, missing: 0, excused: 1 });
  t.ok(auditPassed(report));
});

t.test('run-now records are not fires; fires after the window are not due', async (t) => {
  const report = audit(
    input({
      executions: [fire(0), fire(10 * S), fire(20 * S), fire(12_345, 'succeeded', 'now'), fire(40 * S)],
      runNowIds: new Set(['now']),
      runLog: [...ran('e0'), ...ran('e10000'), ...ran('e20000'), ...ran('now'), ...ran('e40000')],
    }),
  );
  t.match(report, { fires_due: 3, recorded_once: 3, off_schedule: 0 });
  t.ok(auditPassed(report));
});

t.test('stuck, run twice, contradicting its run: each named', async (t) => {
  const report = audit(
    input({
      executions: [fire(0, 'running'), fire(10 * S, 'succeeded'), fire(20 * S, 'scheduled error')],
      runLog: [...ran('e0'), ...ran('e10000', 'fail'), ...ran('e10000'), ...ran('e20000')],
    }),
  );
  t.match(report, { stuck: 1, runs_twice: 1, inconsistent: 1 });
});

t.test('a retried fire may start once per attempt; one logged success backs a succeeded', async (t) => {
  const report = audit(
    input({
      executions: [fire(0), fire(10 * S, 'succeeded', 'e10000', 2), fire(20 * S, 'failed')],
      // The second attempt's worker was lost (paused): it logs its end after the third attempt's.
      runLog: [
        ...ran('e0'),
        ...ran('e10000', 'fail'),
        { e: 'e10000', event: 'start' },
        ...ran('e10000'),
        { e: 'e10000', event: 'end', outcome: 'fail' },
        ...ran('e20000', 'fail'),
      ],
    }),
  );
  t.match(report, { runs_twice: 0, inconsistent: 0 });
  t.ok(auditPassed(report));
});

t.test('a scheduled error after attempts that ran: only its last attempt was refused', async (t) => {
  const ok = audit(
    input({
      executions: [fire(0), fire(10 * S, 'scheduled error', 'e10000', 2), fire(20 * S)],
      runLog: [...ran('e0'), ...ran('e10000', 'fail'), ...ran('e10000', 'fail'), ...ran('e20000')],
    }),
  );
  t.equal(ok.inconsistent, 0);
  const ranAnyway = audit(
    input({
      executions: [fire(0), fire(10 * S, 'scheduled error', 'e10000', 1), fire(20 * S)],
      runLog: [...ran('e0'), ...ran('e10000', 'fail'), ...ran('e10000'), ...ran('e20000')],
    }),
  );
  t.equal(ranAnyway.inconsistent, 1, 'a refused last attempt that started anyway');
});

t.test('a 503 while the store is down (or just after) is promised; any other 5xx is an error', async (t) => {
  const report = audit(
    input({
      apiAnswers: [
        { status: 503, at: 5 * S },
        { status: 503, at: 18 * S },
        { status: 503, at: 40 * S },
        { status: 500, at: 6 * S },
        { status: 404, at: 7 * S },
      ],
      storeDown: [{ from: 4 * S, to: 10 * S }],
    }),
  );
  t.equal(report.api_errors, 2, 'the 503 long after the outage and the 500');
  t.same(report.api_error_statuses, { 500: 1, 503: 1 });
  t.equal(report.api_requests, 5);
});

import type { BenchResults } from './results.js';
import type { Spread } from './stats.js';

const ms = (value: number | null) => (value === null ? '–' : String(value));
/** "2.04: insert execution_ledger 2.01, …": the total per unit, then its biggest parts. */
const commandCell = (c: { total: number; by_command: Record<string, number> } | undefined) =>
  c
    ? `${c.total}: ${Object.entries(c.by_command)
        .slice(0, 4)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`
    : '–';
const spreadCells = (s: Spread) => `${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)}`;

function table(header: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** The generated part of docs/benchmarks.md: what was measured, as tables. */
export function renderReport(results: BenchResults): string {
  const parts: string[] = [];
  parts.push(
    `Run: \`npm run bench${results.mode === 'quick' ? ' -- --quick' : ''}\` on ${results.date} ` +
      `(${results.duration_sec} s).\n\n` +
      table(
        ['machine', ''],
        [
          ['CPU', `${results.machine.cpu} × ${results.machine.cores}`],
          ['memory', `${results.machine.memory_gib} GiB`],
          ['OS', results.machine.os],
          ...Object.entries(results.versions),
        ],
      ),
  );
  parts.push(
    `### Targets\n\n${table(
      ['scenario', 'target', 'measured', 'met'],
      results.targets.map((t) => [t.what, t.target, t.measured, t.met ? 'yes' : '**no**']),
    )}`,
  );
  if (results.fire_precision) {
    parts.push(
      `### 1. Fire precision\n\nN jobs due at the same instant; lateness in ms after the intended time.\n\n${table(
        [
          'jobs',
          'workers',
          'ran',
          'ran twice',
          'never ran',
          'start p50',
          'start p99',
          'start max',
          'finish p50',
          'finish p99',
          'finish max',
          'records by state',
          'store commands per fire',
        ],
        results.fire_precision.map((r) => [
          r.jobs,
          r.workers,
          r.ran,
          r.ran_twice,
          r.never_ran,
          spreadCells(r.start_lateness_ms),
          spreadCells(r.finish_lateness_ms),
          Object.entries(r.states)
            .map(([state, n]) => `${state} ${n}`)
            .join(', '),
          commandCell(r.store_commands_per_fire),
        ]),
      )}`,
    );
  }
  if (results.throughput) {
    parts.push(
      `### 2. Throughput against raw BullMQ\n\n${table(
        [
          'executions',
          'workers × concurrency',
          'Tickwork executions/s',
          'API accepted/s',
          'raw BullMQ jobs/s',
          'ratio_vs_bullmq',
          'store commands per run-now',
        ],
        results.throughput.map((r) => [
          r.executions,
          `${r.workers} × ${r.concurrency}`,
          r.tickwork.executions_per_sec,
          r.tickwork.accepted_per_sec,
          r.bullmq.jobs_per_sec,
          r.ratio_vs_bullmq,
          commandCell(r.tickwork.store_commands_per_run),
        ]),
      )}`,
    );
  }
  if (results.store_limit) {
    const s = results.store_limit;
    parts.push(
      `### The MongoDB-wire server alone\n\nThe same repositories, ${s.parallel} in parallel, nothing else running ` +
        `(${s.server}), ${s.seconds_per_step} s per step.\n\n${table(
          [
            'executions stored',
            'inserts/s',
            'reads by id/s',
            'fenced transitions by id/s',
            "a run-now's whole pattern, executions/s",
          ],
          s.rows.map((r) => [r.stored, r.inserts_per_sec, r.reads_per_sec, r.updates_per_sec, r.executions_per_sec]),
        )}`,
    );
  }
  if (results.api) {
    const a = results.api;
    const row = (name: string, r: typeof a.get_job, note = '') => [
      name,
      r.requests_per_sec,
      r.latency_p50_ms,
      r.latency_p99_ms,
      r.requests,
      r.non_2xx + r.errors,
      note,
    ];
    const answered = (r: typeof a.list_jobs, what: string) =>
      `${r.items_per_answer} ${what}${r.truncated ? ', truncated' : ''}`;
    parts.push(
      `### 3. API\n\n${a.jobs} jobs; ${a.executions} executions over 30 days, ${a.executions_last_hour} of them in ` +
        `the last hour; ${a.audit_last_day} audit entries in the last day. autocannon: 10 connections for ` +
        `${a.duration_sec} s on one job and on POST; ${a.list_requests} requests one at a time on each list. The ` +
        `API loaded its job catalog, execution window and audit log (the last 24 h) ${a.window_load_sec} s after it ` +
        `started.\n\n${table(
          ['call', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'answer'],
          [
            row('GET one job', a.get_job),
            row('POST a job', a.post_job),
            row('GET all jobs', a.list_jobs, answered(a.list_jobs, 'jobs')),
            row(
              'GET executions of the last hour',
              a.list_executions_last_hour,
              answered(a.list_executions_last_hour, 'executions'),
            ),
            row('GET logs of the last day', a.list_logs_last_day, answered(a.list_logs_last_day, 'entries')),
            row(
              'GET executions of an hour 20 days ago (from the store)',
              a.list_executions_old_hour,
              answered(a.list_executions_old_hour, 'executions'),
            ),
          ],
        )}\n\nQuery plans, as the server explains them:\n\n${Object.entries(a.explain)
          .map(
            ([name, plan]) =>
              `<details><summary>${name}</summary>\n\n\`\`\`json\n${JSON.stringify(plan, null, 1)}\n\`\`\`\n</details>`,
          )
          .join('\n\n')}`,
    );
  }
  if (results.memory) {
    const m = results.memory;
    parts.push(
      `### 4. Memory\n\n${m.jobs} job definitions (API ready, all mirrored into ${m.schedulers} BullMQ schedulers, ` +
        `after ${m.api_ready_sec} s), then ${m.load.executions} run-now executions ` +
        `(${m.load.executions_per_sec}/s).\n\n${table(
          ['process', 'peak RSS MiB'],
          [
            ['API', ms(m.api_peak_rss_mb)],
            ['worker', ms(m.worker_peak_rss_mb)],
            ['a job process (sandbox), largest', ms(m.job_process_peak_rss_mb)],
          ],
        )}`,
    );
  }
  if (results.profile) {
    const p = results.profile;
    const summary = (name: string, s: typeof p.api) =>
      s
        ? `${name}: busy ${s.busy_pct}% of ${s.seconds} s.\n\n${table(
            ['module', '% of busy'],
            s.by_module.map((m) => [m.module, m.pct]),
          )}\n\n${table(
            ['function', 'module', '% of busy'],
            s.by_function.map((f) => [`\`${f.function}\``, f.module, f.pct]),
          )}`
        : `${name}: no profile was written.`;
    parts.push(
      `### 5. Where the time goes: ${p.scenario}\n\n${p.load.executions_per_sec} executions/s. CPU seconds per ` +
        `process during the load:\n\n${table(
          ['process', 'CPU s'],
          Object.entries(p.cpu_seconds).map(([name, s]) => [name, s]),
        )}\n\n${summary('API', p.api)}\n\n${summary('Worker', p.worker)}`,
    );
  }
  return parts.join('\n\n');
}

const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these marks) -->';
const END = '<!-- bench:end -->';

/** Puts the generated tables between the marks, keeping what was written around them. */
export function spliceReport(document: string | null, generated: string): string {
  const block = `${BEGIN}\n\n${generated}\n\n${END}`;
  if (document === null) return `# Benchmarks\n\n${block}\n`;
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${block}\n`;
  return document.slice(0, start) + block + document.slice(end + END.length);
}

import { useState } from 'preact/hooks';
import { Alert } from '../components/alert.js';
import { RunsChart } from '../components/runs-chart.js';
import { StateBadge } from '../components/state-badge.js';
import { TimeRangePicker } from '../components/time-range.js';
import { api, errorText } from '../lib/api.js';
import { countByState } from '../lib/buckets.js';
import { usePolling } from '../lib/polling.js';
import { onLinkClick } from '../lib/router.js';
import { duration, localTime } from '../lib/time.js';
import { rangeQuery, type TimeRange } from '../lib/time-range.js';
import { type Execution, LIVE_STATES, STATES } from '../lib/types.js';

/** How long a run took: from its scheduled time to its last update, or to now while it runs. */
export function runDuration(execution: Execution, now = Date.now()): string {
  const from = Date.parse(execution.scheduled_time);
  const to = LIVE_STATES.includes(execution.state) ? now : Date.parse(execution.updated_time);
  return execution.state === 'scheduled' ? '—' : duration(to - from);
}

/** Executions in a time range: counts per state, a chart, the table; refreshed every 2 s. */
export function ExecutionsPage({ canEdit }: { canEdit: boolean }) {
  const [range, setRange] = useState<TimeRange>({ choice: '10m', from: '', to: '' });
  const [actionError, setActionError] = useState<string | null>(null);
  const [window, setWindow] = useState<{ start: number; end: number }>({
    start: Date.now() - 600_000,
    end: Date.now(),
  });
  const rangeKey = `${range.choice}|${range.from}|${range.to}`;
  const executions = usePolling(
    async () => {
      const query = rangeQuery(range);
      if ('error' in query) throw new Error(query.error);
      const answer = await api<{ executions: Execution[] }>('GET', `/api/v1/executions?${query.query}`);
      setWindow({ start: query.start, end: query.end });
      return answer.executions;
    },
    2000,
    rangeKey,
  );

  const stop = async (execution: Execution) => {
    setActionError(null);
    try {
      await api('DELETE', `/api/v1/executions/${execution.execution_id}`);
      executions.reload();
    } catch (err) {
      setActionError(errorText(err));
    }
  };

  const runs = executions.data ?? [];
  const counts = countByState(runs);
  return (
    <section aria-labelledby="executions-title">
      <div class="toolbar">
        <h1 id="executions-title">Executions</h1>
        <TimeRangePicker range={range} onChange={setRange} />
      </div>
      <Alert message={actionError ?? executions.error} />
      <ul class="counts" aria-label="Runs per state">
        <li>
          <strong>{runs.length}</strong> total
        </li>
        {STATES.map((state) => (
          <li key={state} class={counts[state] ? '' : 'muted'}>
            <strong>{counts[state]}</strong> <StateBadge state={state} />
          </li>
        ))}
      </ul>
      <RunsChart runs={runs} start={window.start} end={window.end} />
      <div class="table-wrap">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">State</th>
              <th scope="col">Host / pid</th>
              <th scope="col">Scheduled</th>
              <th scope="col">Updated</th>
              <th scope="col">Duration</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {executions.data !== undefined && runs.length === 0 && (
              <tr>
                <td colSpan={7}>No runs in this range.</td>
              </tr>
            )}
            {runs.map((execution) => (
              <tr key={execution.execution_id} data-execution-id={execution.execution_id}>
                <th scope="row" data-label="Job">
                  <a href={`/executions/${execution.execution_id}`} onClick={onLinkClick}>
                    {execution.job.name}
                  </a>
                  <div class="muted mono">{execution.job.job_class_string}</div>
                </th>
                <td data-label="State">
                  <StateBadge state={execution.state} />
                </td>
                <td data-label="Host / pid" class="mono">
                  {execution.hostname ? `${execution.hostname} / ${execution.pid}` : '—'}
                </td>
                <td data-label="Scheduled">{localTime(execution.scheduled_time)}</td>
                <td data-label="Updated">{localTime(execution.updated_time)}</td>
                <td data-label="Duration">{runDuration(execution)}</td>
                <td data-label="Actions">
                  {canEdit && execution.state === 'running' && (
                    <button
                      type="button"
                      class="danger"
                      onClick={() => stop(execution)}
                      aria-label={`Stop run of ${execution.job.name}`}
                    >
                      Stop
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

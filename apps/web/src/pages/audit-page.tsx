import { useState } from 'preact/hooks';
import { Alert } from '../components/alert.js';
import { TimeRangePicker } from '../components/time-range.js';
import { api } from '../lib/api.js';
import { usePolling } from '../lib/polling.js';
import { localTime } from '../lib/time.js';
import { rangeQuery, type TimeRange } from '../lib/time-range.js';
import type { AuditEntry } from '../lib/types.js';

/** The audit log in a time range, newest first; every field is shown as text, never as markup. */
export function AuditPage() {
  const [range, setRange] = useState<TimeRange>({ choice: '1h', from: '', to: '' });
  const logs = usePolling(
    async () => {
      const query = rangeQuery(range);
      if ('error' in query) throw new Error(query.error);
      return (await api<{ logs: AuditEntry[] }>('GET', `/api/v1/logs?${query.query}`)).logs;
    },
    5000,
    `${range.choice}|${range.from}|${range.to}`,
  );
  const entries = logs.data ?? [];
  return (
    <section aria-labelledby="audit-title">
      <div class="toolbar">
        <h1 id="audit-title">Audit logs</h1>
        <TimeRangePicker range={range} onChange={setRange} />
      </div>
      <Alert message={logs.error} />
      <p class="totals">{entries.length} entries</p>
      <div class="table-wrap">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">User</th>
              <th scope="col">Event</th>
              <th scope="col">Job</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {logs.data !== undefined && entries.length === 0 && (
              <tr>
                <td colSpan={5}>Nothing happened in this range.</td>
              </tr>
            )}
            {entries.map((entry, i) => (
              <tr key={`${entry.created_time}-${i}`} data-event={entry.event}>
                <td data-label="Time" class="nowrap">
                  {localTime(entry.created_time)}
                </td>
                <td data-label="User">{entry.user}</td>
                <td data-label="Event">
                  <span class="badge">{entry.event}</span>
                </td>
                <td data-label="Job">
                  {entry.job_name}
                  <div class="muted mono">{entry.job_id}</div>
                </td>
                <td data-label="Description" class="pre-wrap">
                  {entry.description}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

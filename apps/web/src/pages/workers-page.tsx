import { Alert } from '../components/alert.js';
import { api } from '../lib/api.js';
import { usePolling } from '../lib/polling.js';
import { ago, localTime } from '../lib/time.js';
import type { Worker } from '../lib/types.js';

/** The live workers (each refreshes its entry every heartbeat; a dead one drops out on its own). */
export function WorkersPage() {
  const workers = usePolling(
    () => api<{ workers: Worker[] }>('GET', '/api/v1/workers').then((a) => a.workers),
    2000,
    'workers',
  );
  const list = workers.data ?? [];
  const running = list.reduce((n, w) => n + w.running, 0);
  const slots = list.reduce((n, w) => n + w.concurrency, 0);
  return (
    <section aria-labelledby="workers-title">
      <div class="toolbar">
        <h1 id="workers-title">Workers</h1>
        <p class="totals">
          {list.length} live · {running} of {slots} slots running
        </p>
      </div>
      <Alert message={workers.error} />
      {workers.data !== undefined && list.length === 0 && (
        <p class="alert" role="status">
          No worker is up: jobs are recorded but nothing runs them.
        </p>
      )}
      <div class="table-wrap">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Pid</th>
              <th scope="col">Tags</th>
              <th scope="col">Concurrency</th>
              <th scope="col">Running</th>
              <th scope="col">Last heartbeat</th>
              <th scope="col">Started</th>
              <th scope="col">Job classes</th>
            </tr>
          </thead>
          <tbody>
            {list.map((worker) => (
              <tr key={worker.worker_id} data-worker-pid={worker.pid}>
                <th scope="row" data-label="Host" class="mono">
                  {worker.hostname}
                </th>
                <td data-label="Pid" class="mono">
                  {worker.pid}
                </td>
                <td data-label="Tags" class="mono" data-worker-tags>
                  {(worker.tags ?? []).length > 0 ? (worker.tags ?? []).join(', ') : '—'}
                </td>
                <td data-label="Concurrency">{worker.concurrency}</td>
                <td data-label="Running">{worker.running}</td>
                <td data-label="Last heartbeat">{ago(worker.last_heartbeat)}</td>
                <td data-label="Started">{localTime(worker.started)}</td>
                <td data-label="Job classes">
                  <details>
                    <summary>{worker.job_classes.length} classes</summary>
                    <ul class="mono small">
                      {worker.job_classes.map((c) => (
                        <li key={c.job_class_string}>{c.job_class_string}</li>
                      ))}
                    </ul>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

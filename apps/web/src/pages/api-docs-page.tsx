/** The REST API at a glance (ndscheduler's, plus Tickwork's additions), for the "API docs" link. */
const ENDPOINTS: Array<[string, string, string, string]> = [
  ['GET', '/api/v1/jobs', 'viewer', 'All jobs, with next_run_time'],
  [
    'POST',
    '/api/v1/jobs',
    'editor',
    'Create a job: name, job_class_string, pub_args, cron fields, timezone, run options',
  ],
  ['GET', '/api/v1/jobs/:job_id', 'viewer', 'One job'],
  ['PUT', '/api/v1/jobs/:job_id', 'editor', 'Change a job (cron fields given replace the schedule)'],
  ['DELETE', '/api/v1/jobs/:job_id', 'editor', 'Delete a job'],
  ['PATCH', '/api/v1/jobs/:job_id', 'editor', 'Pause a job'],
  ['OPTIONS', '/api/v1/jobs/:job_id', 'editor', 'Resume a job'],
  [
    'GET',
    '/api/v1/executions?time_range_start=&time_range_end=',
    'viewer',
    'Runs scheduled in a range (default: last 10 minutes)',
  ],
  ['GET', '/api/v1/executions/:execution_id', 'viewer', 'One run'],
  [
    'GET',
    '/api/v1/executions/:execution_id/output?offset=',
    'viewer',
    'What a run logged, from a byte offset; live while it runs',
  ],
  ['POST', '/api/v1/executions/:job_id', 'editor', 'Run a job now'],
  ['DELETE', '/api/v1/executions/:execution_id', 'editor', 'Stop a running run'],
  ['GET', '/api/v1/logs?time_range_start=&time_range_end=', 'viewer', 'The audit log in a range'],
  ['GET', '/api/v1/job-classes', 'viewer', 'Job classes the live workers can run, with notes and argument help'],
  ['POST', '/api/v1/schedule-preview', 'viewer', 'Next fire times of cron fields {minute, hour, …, timezone, count}'],
  ['GET', '/api/v1/workers', 'viewer', 'Live workers, with their tags'],
  ['GET', '/api/v1/session', 'viewer', 'Who you are, your role, the CSRF token for writes'],
  ['GET|POST|DELETE', '/api/v1/users', 'admin', 'Users'],
  ['GET|POST|DELETE', '/api/v1/tokens', 'admin', 'API tokens (send as Authorization: Bearer …)'],
  ['POST', '/login · /logout · /passwd', 'public', 'Log in (form or JSON), log out, change your password'],
];

export function ApiDocsPage() {
  return (
    <section aria-labelledby="api-title">
      <h1 id="api-title">REST API</h1>
      <p>
        Tickwork answers ndscheduler's REST API. Errors are <code>{'{"error": "…"}'}</code> with a 4xx status that names
        the problem. Once users exist, send the session cookie (a POST with a body also needs JSON or{' '}
        <code>X-CSRF-Token</code>) or <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <p>
        The full reference, with request and reply schemas and examples: <a href="/docs">Swagger UI</a> ·{' '}
        <a href="/api/v1/openapi.json">openapi.json</a>.
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">Role</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {ENDPOINTS.map(([method, path, role, what]) => (
              <tr key={`${method} ${path}`}>
                <td class="mono">{method}</td>
                <td class="mono wrap">{path}</td>
                <td>{role}</td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

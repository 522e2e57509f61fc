import { waitFor } from '@tickwork/testing';
import type { ApiClient } from './in-process.js';

/** States a run ends in (or is refused with). */
const ENDED = ['succeeded', 'failed', 'timeout', 'stopped', 'scheduled error'];

/**
 * Runs a job now (as `headers` say who asks) and waits for the run to end: its execution as the API shows
 * it, with the output the run logged. Throws with the answer if run-now is refused.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
export async function runToEnd(api: ApiClient, jobId: string, headers: Record<string, string> = {}): Promise<any> {
  const run = await api.request('POST', `/api/v1/executions/${jobId}`, headers.cookie ? '' : undefined, headers);
  if (run.status !== 200) throw new Error(`run-now answered ${run.status}: ${run.text}`);
  const id = run.body.execution_id;
  const execution = await waitFor('the run to end', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${id}`, undefined, headers);
    return ENDED.includes(body.state) ? body : undefined;
  });
  const { output } = (await api.request('GET', `/api/v1/executions/${id}/output`, undefined, headers)).body;
  return { ...execution, output };
}

/** Adds a ShellJob running `argv` (scheduled daily at midnight) and runs it now: as runToEnd. */
// biome-ignore lint/suspicious/noExplicitAny: as runToEnd
export async function runShellJob(api: ApiClient, argv: string[]): Promise<any> {
  const created = await api.request('POST', '/api/v1/jobs', {
    name: `shell ${argv.join(' ')}`,
    job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
    pub_args: argv,
    hour: '0',
  });
  if (created.status !== 201) throw new Error(`adding the job answered ${created.status}: ${created.text}`);
  return runToEnd(api, created.body.job_id);
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../components/alert.js';
import { StateBadge } from '../components/state-badge.js';
import { api, errorText } from '../lib/api.js';
import { usePolling } from '../lib/polling.js';
import { onLinkClick } from '../lib/router.js';
import { localTime, utcTime } from '../lib/time.js';
import { type Execution, LIVE_STATES, type OutputPage } from '../lib/types.js';
import { runDuration } from './executions-page.js';

/** A result as ndscheduler stores it: JSON text (shown pretty) or a stack trace (shown as is). */
export function prettyResult(result: string): string {
  if (!result) return '';
  try {
    return JSON.stringify(JSON.parse(result), null, 2);
  } catch {
    return result;
  }
}

/** The run's output, read from where the last read ended, every 2 s while the run lives. */
function useOutput(executionId: string, live: boolean): { text: string; truncated: boolean; error: string | null } {
  const [state, setState] = useState({ text: '', truncated: false, error: null as string | null });
  const offset = useRef(0);
  const done = useRef(false);
  useEffect(() => {
    offset.current = 0;
    done.current = false;
    setState({ text: '', truncated: false, error: null });
  }, [executionId]);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      if (done.current) return;
      try {
        const page = await api<OutputPage>('GET', `/api/v1/executions/${executionId}/output?offset=${offset.current}`);
        if (cancelled) return;
        // The record replaces the streamed copy once the run ends; a shorter text means read it again whole.
        if (page.next_offset < offset.current) {
          offset.current = 0;
          setState((s) => ({ ...s, text: '' }));
          timer = setTimeout(read, 0);
          return;
        }
        offset.current = page.next_offset;
        setState((s) => ({ text: s.text + page.output, truncated: page.truncated, error: null }));
        if (!page.running) done.current = true;
      } catch (err) {
        if (!cancelled) setState((s) => ({ ...s, error: errorText(err) }));
      }
      if (!cancelled && !done.current) timer = setTimeout(read, 1500);
    };
    read();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [executionId, live]);
  return state;
}

/** One run: its state, where it ran, result, output (live while it runs), earlier attempts; Stop. */
export function ExecutionPage({ executionId, canEdit }: { executionId: string; canEdit: boolean }) {
  const execution = usePolling(() => api<Execution>('GET', `/api/v1/executions/${executionId}`), 2000, executionId);
  const [actionError, setActionError] = useState<string | null>(null);
  const run = execution.data;
  const live = run ? LIVE_STATES.includes(run.state) : true;
  const output = useOutput(executionId, live);

  const stop = async () => {
    setActionError(null);
    try {
      await api('DELETE', `/api/v1/executions/${executionId}`);
      execution.reload();
    } catch (err) {
      setActionError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="execution-title">
      <p>
        <a href="/executions" onClick={onLinkClick}>
          ← All executions
        </a>
      </p>
      <div class="toolbar">
        <h1 id="execution-title">Run of {run ? run.job.name : '…'}</h1>
        {run && <StateBadge state={run.state} />}
        {run && canEdit && run.state === 'running' && (
          <button type="button" class="danger" onClick={stop}>
            Stop
          </button>
        )}
      </div>
      <Alert message={actionError ?? execution.error} />
      {run && (
        <dl class="facts">
          <dt>Execution</dt>
          <dd class="mono">{run.execution_id}</dd>
          <dt>Job</dt>
          <dd>
            {run.job.name} <span class="muted mono">{run.job.job_class_string}</span>
          </dd>
          <dt>Arguments</dt>
          <dd class="mono wrap">{JSON.stringify(run.job.pub_args)}</dd>
          <dt>Host / pid</dt>
          <dd class="mono">{run.hostname ? `${run.hostname} / ${run.pid}` : '—'}</dd>
          <dt>Scheduled</dt>
          <dd>
            {localTime(run.scheduled_time)} <span class="muted">({utcTime(run.scheduled_time)})</span>
          </dd>
          <dt>Updated</dt>
          <dd>
            {localTime(run.updated_time)} <span class="muted">({utcTime(run.updated_time)})</span>
          </dd>
          <dt>Duration</dt>
          <dd>{runDuration(run)}</dd>
          {run.description && (
            <>
              <dt>Description</dt>
              <dd class="wrap">{run.description}</dd>
            </>
          )}
        </dl>
      )}
      <h2>Result</h2>
      {run?.result ? (
        <pre class="block" data-testid="result">
          {prettyResult(run.result)}
        </pre>
      ) : (
        <p class="muted">{live ? 'No result yet.' : 'No result.'}</p>
      )}
      <h2>Output {live && <span class="muted">(live)</span>}</h2>
      <Alert message={output.error} />
      {output.text ? (
        <pre class="block output" data-testid="output" aria-live="off">
          {output.text}
        </pre>
      ) : (
        <p class="muted">{live ? 'Nothing logged yet.' : 'The run logged nothing.'}</p>
      )}
      {output.truncated && <p class="field-error">The output was cut at 256 KB.</p>}
      {run && run.attempts.length > 0 && (
        <>
          <h2>Earlier attempts</h2>
          <ol class="attempts">
            {run.attempts.map((a) => (
              <li key={a.ended_time}>
                <StateBadge state={a.state as Execution['state']} /> on {a.hostname} / {a.pid}, ended{' '}
                {localTime(a.ended_time)}: {a.description}
                {a.result && <pre class="block">{prettyResult(a.result)}</pre>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

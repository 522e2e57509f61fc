import { missingWorkerTags } from '@tickwork/domain/worker-tags';
import { useState } from 'preact/hooks';
import { Alert, Notice } from '../components/alert.js';
import { ClassName } from '../components/class-name.js';
import { ConfirmDialog } from '../components/modal.js';
import { api, errorText } from '../lib/api.js';
import { afterInWords, dependantsByJob, isJobPaused, runsOnlyAfter } from '../lib/chains.js';
import { usePolling } from '../lib/polling.js';
import { onLinkClick } from '../lib/router.js';
import { rawSchedule, scheduleInWords } from '../lib/schedule-words.js';
import { localTime, utcTime } from '../lib/time.js';
import type { Job, JobClass, Worker } from '../lib/types.js';
import { JobDialog } from './job-dialog.js';

type Editing = { job: Job | null } | null;

/** Jobs: the table ndscheduler had, with search, totals and every action on a job. */
export function JobsPage({ canEdit }: { canEdit: boolean }) {
  const jobs = usePolling(() => api<{ jobs: Job[] }>('GET', '/api/v1/jobs').then((a) => a.jobs), 5000, 'jobs');
  // The live workers' tags: a job with worker_tags none of them has all of waits, then is a scheduled error.
  const workers = usePolling(
    () => api<{ workers: Worker[] }>('GET', '/api/v1/workers').then((a) => a.workers.map((w) => w.tags ?? [])),
    5000,
    'workers',
  );
  const unserved = (job: Job): string | null =>
    workers.data === undefined || (job.worker_tags ?? []).length === 0
      ? null
      : missingWorkerTags(job.worker_tags ?? [], workers.data);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Job | null>(null);
  const [classes, setClasses] = useState<JobClass[]>([]);
  const [defaultTimezone, setDefaultTimezone] = useState('UTC');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; execution?: string } | null>(null);

  const act = async (what: () => Promise<string>) => {
    setError(null);
    try {
      setNotice({ text: await what() });
      jobs.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const openDialog = async (job: Job | null) => {
    setError(null);
    try {
      const [list, preview] = await Promise.all([
        api<{ job_classes: JobClass[] }>('GET', '/api/v1/job-classes'),
        // Asked without a zone, the server answers with its TIMEZONE: what a new job gets by default.
        api<{ timezone: string }>('POST', '/api/v1/schedule-preview', { minute: '0', count: 1 }),
      ]);
      setClasses(list.job_classes);
      setDefaultTimezone(preview.timezone);
      setEditing({ job });
    } catch (err) {
      setError(errorText(err));
    }
  };

  const runNow = async (job: Job) => {
    setError(null);
    try {
      const { execution_id } = await api<{ execution_id: string }>('POST', `/api/v1/executions/${job.job_id}`);
      setNotice({ text: `Started a run of ${job.name}.`, execution: execution_id });
    } catch (err) {
      setError(errorText(err));
    }
  };

  const all = jobs.data ?? [];
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? all.filter((j) =>
        [j.name, j.job_class_string, j.job_id, j.description ?? ''].some((text) => text.toLowerCase().includes(needle)),
      )
    : all;
  const paused = all.filter(isJobPaused).length;
  const byId = new Map(all.map((j) => [j.job_id, j]));
  const waiting = dependantsByJob(all);

  return (
    <section aria-labelledby="jobs-title">
      <div class="toolbar">
        <h1 id="jobs-title">Jobs</h1>
        <p class="totals" aria-live="polite">
          {all.length} jobs · {all.length - paused} active · {paused} paused
          {needle && ` · ${shown.length} shown`}
        </p>
        <label class="search">
          Search
          <input
            type="search"
            value={search}
            placeholder="name, class or id"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        {canEdit && (
          <button type="button" class="primary" onClick={() => openDialog(null)}>
            New job
          </button>
        )}
      </div>
      <Alert message={error ?? jobs.error} />
      {notice && <Notice message={notice.text} />}
      {notice?.execution && (
        <p>
          <a href={`/executions/${notice.execution}`} onClick={onLinkClick}>
            Watch the run
          </a>
        </p>
      )}
      <div class="table-wrap">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Class</th>
              <th scope="col">Schedule</th>
              <th scope="col">Timezone</th>
              <th scope="col">Next run</th>
              <th scope="col">Status</th>
              {canEdit && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {jobs.data === undefined && !jobs.error && (
              <tr>
                <td colSpan={7}>Loading…</td>
              </tr>
            )}
            {jobs.data !== undefined && shown.length === 0 && (
              <tr>
                <td colSpan={7}>{needle ? 'No job matches the search.' : 'No jobs yet.'}</td>
              </tr>
            )}
            {shown.map((job) => {
              const isPaused = isJobPaused(job);
              const onlyAfter = runsOnlyAfter(job);
              const after = afterInWords(job, byId);
              const before = waiting.get(job.job_id) ?? [];
              return (
                <tr key={job.job_id} data-job-id={job.job_id}>
                  <th scope="row" data-label="Name">
                    {job.name}
                    {job.description && <div class="job-description">{job.description}</div>}
                    <div class="muted mono">{job.job_id}</div>
                  </th>
                  <td data-label="Class">
                    <ClassName value={job.job_class_string} />
                  </td>
                  <td data-label="Schedule">
                    {onlyAfter ? 'only after another job' : scheduleInWords(job)}
                    {!onlyAfter && <div class="muted mono">{rawSchedule(job)}</div>}
                    {after && <div class="chain">{after}</div>}
                    {before.length > 0 && (
                      <div class="chain">before: {before.map((j) => `"${j.name}"`).join(', ')}</div>
                    )}
                  </td>
                  <td data-label="Timezone">{job.timezone}</td>
                  <td data-label="Next run">
                    {isPaused ? (
                      '—'
                    ) : onlyAfter ? (
                      'after its upstream'
                    ) : (
                      <>
                        {localTime(job.next_run_time)}
                        <div class="muted">{utcTime(job.next_run_time)}</div>
                      </>
                    )}
                  </td>
                  <td data-label="Status">
                    <span class={isPaused ? 'badge paused' : 'badge active'}>{isPaused ? 'paused' : 'active'}</span>
                    {(job.worker_tags ?? []).length > 0 && (
                      <div class="muted small" data-worker-tags>
                        tags: {(job.worker_tags ?? []).join(', ')}
                      </div>
                    )}
                    {unserved(job) && (
                      <div>
                        <span class="badge unserved" data-unserved>
                          {unserved(job)}
                        </span>
                      </div>
                    )}
                  </td>
                  {canEdit && (
                    <td data-label="Actions" class="actions">
                      <button type="button" onClick={() => runNow(job)} aria-label={`Run ${job.name} now`}>
                        Run now
                      </button>
                      <button type="button" onClick={() => openDialog(job)} aria-label={`Edit ${job.name}`}>
                        Edit
                      </button>
                      {isPaused ? (
                        <button
                          type="button"
                          aria-label={`Resume ${job.name}`}
                          onClick={() =>
                            act(async () => {
                              await api('OPTIONS', `/api/v1/jobs/${job.job_id}`);
                              return `Resumed ${job.name}.`;
                            })
                          }
                        >
                          Resume
                        </button>
                      ) : (
                        <button
                          type="button"
                          aria-label={`Pause ${job.name}`}
                          onClick={() =>
                            act(async () => {
                              await api('PATCH', `/api/v1/jobs/${job.job_id}`);
                              return `Paused ${job.name}.`;
                            })
                          }
                        >
                          Pause
                        </button>
                      )}
                      <button
                        type="button"
                        class="danger"
                        onClick={() => setDeleting(job)}
                        aria-label={`Delete ${job.name}`}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {editing && (
        <JobDialog
          job={editing.job}
          jobs={all}
          classes={classes}
          defaultTimezone={defaultTimezone}
          onClose={() => setEditing(null)}
          onSaved={(_id, created) => {
            setEditing(null);
            setNotice({ text: created ? 'Job created.' : 'Job saved.' });
            jobs.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete job"
          message={`Delete the job "${deleting.name}"? Its schedule is removed; past runs stay in the executions list.`}
          confirm="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const job = deleting;
            setDeleting(null);
            act(async () => {
              await api('DELETE', `/api/v1/jobs/${job.job_id}`);
              return `Deleted ${job.name}.`;
            });
          }}
        />
      )}
    </section>
  );
}

// A job's notify_webhook_url and notify_slack_url are bearer secrets (a Slack incoming-webhook URL posts as
// us): viewers, by session or token, see them hidden in every answer that shows a job — the job, the list,
// an execution's job, the audit log — and editors and admins see exactly what they saw before.
import { loginCookie, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
await api.app.userService.add('ed', 'Very$ecret', 'editor');
await api.app.userService.add('vi', 'Very$ecret', 'viewer');
const admin = { cookie: await loginCookie(api.base, 'admin', 'Very$ecret') };
const editor = { cookie: await loginCookie(api.base, 'ed', 'Very$ecret') };
const viewer = { cookie: await loginCookie(api.base, 'vi', 'Very$ecret') };
const viewerToken = {
  authorization: `Bearer ${(await api.request('POST', '/api/v1/tokens', { name: 'wall', role: 'viewer' }, admin)).body.token}`,
};
const editorToken = {
  authorization: `Bearer ${(await api.request('POST', '/api/v1/tokens', { name: 'ci', role: 'editor' }, admin)).body.token}`,
};
const HIDDEN = '(hidden from viewers)';
const SLACK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX';
const WEBHOOK = 'https://alerts.example.com/hook?key=s3cret';
const SLACK_2 = 'https://hooks.slack.com/services/T0000/B0000/YYYYYYYYYYYYYYYYYYYYYYYY';

const readers = { viewer, 'viewer token': viewerToken };
const seers = { editor, admin, 'editor token': editorToken };

/** The answer with the notify URLs a viewer must see hidden replaced, for comparison with a viewer's. */
function hidden<T extends Record<string, unknown>>(job: T): T {
  return {
    ...job,
    notify_webhook_url: job.notify_webhook_url === null ? null : HIDDEN,
    notify_slack_url: job.notify_slack_url === null ? null : HIDDEN,
  };
}

t.test('GET a job and the list: viewers see the notify URLs hidden, nothing else changes', async (t) => {
  const created = await api.request(
    'POST',
    '/api/v1/jobs',
    {
      name: 'alerting',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      minute: '*/5',
      notify_webhook_url: WEBHOOK,
      notify_slack_url: SLACK,
    },
    editor,
  );
  t.equal(created.status, 201);
  const id = created.body.job_id;
  const plain = await api.request(
    'POST',
    '/api/v1/jobs',
    { name: 'quiet', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob', minute: '*/5' },
    editor,
  );
  const plainId = plain.body.job_id;

  const full = (await api.request('GET', `/api/v1/jobs/${id}`, undefined, editor)).body;
  t.match(full, { job_id: id, notify_webhook_url: WEBHOOK, notify_slack_url: SLACK });
  const list = (await api.request('GET', '/api/v1/jobs', undefined, editor)).body;
  for (const [who, headers] of Object.entries(seers)) {
    t.same((await api.request('GET', `/api/v1/jobs/${id}`, undefined, headers)).body, full, `${who}: the whole job`);
    t.same((await api.request('GET', '/api/v1/jobs', undefined, headers)).body, list, `${who}: the whole list`);
  }
  for (const [who, headers] of Object.entries(readers)) {
    const one = await api.request('GET', `/api/v1/jobs/${id}`, undefined, headers);
    t.equal(one.status, 200);
    t.same(one.body, hidden(full), `${who}: the job, its URLs hidden`);
    t.notMatch(one.text, /hooks\.slack\.com|s3cret/, `${who}: no trace of them`);
    const all = await api.request('GET', '/api/v1/jobs', undefined, headers);
    t.same(all.body, { jobs: list.jobs.map(hidden) }, `${who}: the list, URLs hidden`);
    t.notMatch(all.text, /hooks\.slack\.com|s3cret/);
    const quiet = await api.request('GET', `/api/v1/jobs/${plainId}`, undefined, headers);
    t.same(
      quiet.body,
      (await api.request('GET', `/api/v1/jobs/${plainId}`, undefined, editor)).body,
      `${who}: a job without URLs is shown as to anyone`,
    );
    t.match(quiet.body, { notify_webhook_url: null, notify_slack_url: null });
  }
});

t.test('executions show their job: viewers see its URLs hidden', async (t) => {
  const id = (
    await api.request(
      'POST',
      '/api/v1/jobs',
      {
        name: 'run me',
        job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
        minute: '*/5',
        notify_slack_url: SLACK,
      },
      editor,
    )
  ).body.job_id;
  const run = await api.request('POST', `/api/v1/executions/${id}`, undefined, editorToken);
  t.equal(run.status, 200);
  const executionId = run.body.execution_id;
  const full = (await api.request('GET', `/api/v1/executions/${executionId}`, undefined, editor)).body;
  t.match(full.job, { job_id: id, notify_slack_url: SLACK, notify_webhook_url: null });
  const list = (await api.request('GET', '/api/v1/executions', undefined, editor)).body;
  t.ok(
    list.executions.some((e: { execution_id: string }) => e.execution_id === executionId),
    'the run is listed',
  );
  for (const [who, headers] of Object.entries(readers)) {
    const one = await api.request('GET', `/api/v1/executions/${executionId}`, undefined, headers);
    // The run goes on meanwhile (no worker here: it waits), so compare what a viewer sees with a fresh read.
    const now = (await api.request('GET', `/api/v1/executions/${executionId}`, undefined, admin)).body;
    t.same(one.body, { ...now, job: hidden(now.job) }, `${who}: the execution, its job's URL hidden`);
    t.notMatch(one.text, /hooks\.slack\.com/);
    const all = await api.request('GET', '/api/v1/executions', undefined, headers);
    t.equal(all.status, 200);
    t.notMatch(all.text, /hooks\.slack\.com|s3cret/, `${who}: no URL in the list`);
    const listed = all.body.executions.find((e: { execution_id: string }) => e.execution_id === executionId);
    t.equal(listed.job.notify_slack_url, HIDDEN);
  }
});

t.test('the audit log: changes and deletions quote the URLs; viewers see them hidden', async (t) => {
  const id = (
    await api.request(
      'POST',
      '/api/v1/jobs',
      {
        name: 'audited',
        job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
        minute: '*/5',
        notify_slack_url: SLACK,
      },
      editor,
    )
  ).body.job_id;
  const changed = await api.request(
    'PUT',
    `/api/v1/jobs/${id}`,
    { notify_slack_url: SLACK_2, notify_webhook_url: WEBHOOK, hour: '3' },
    editor,
  );
  t.equal(changed.status, 200);
  t.equal((await api.request('DELETE', `/api/v1/jobs/${id}`, undefined, editorToken)).status, 200);

  type Entry = { job_id: string; event: string; description: string };
  const ofJob = (body: { logs: Entry[] }) => body.logs.filter((l) => l.job_id === id);
  const full = ofJob((await api.request('GET', '/api/v1/logs', undefined, editor)).body);
  t.match(full, [{ event: 'deleted' }, { event: 'modified' }, { event: 'added' }]);
  const [deleted = '', modified = ''] = full.map((l) => l.description);
  const added = full[2];
  t.match(modified, `notify_webhook_url: null => ${JSON.stringify(WEBHOOK)}`);
  t.match(modified, `notify_slack_url: ${JSON.stringify(SLACK)} => ${JSON.stringify(SLACK_2)}`);
  t.match(JSON.parse(deleted), { job_id: id, notify_slack_url: SLACK_2 });
  for (const [who, headers] of Object.entries(seers)) {
    t.same(ofJob((await api.request('GET', '/api/v1/logs', undefined, headers)).body), full, `${who}: as written`);
  }
  for (const [who, headers] of Object.entries(readers)) {
    const res = await api.request('GET', '/api/v1/logs', undefined, headers);
    t.equal(res.status, 200);
    t.notMatch(res.text, /hooks\.slack\.com|s3cret/, `${who}: no URL anywhere in the audit log`);
    const seen = ofJob(res.body);
    t.same(seen[2], added, `${who}: the added entry as it is`);
    t.equal(
      seen[1]?.description,
      modified
        .replace(`null => ${JSON.stringify(WEBHOOK)}`, `null => "${HIDDEN}"`)
        .replace(`${JSON.stringify(SLACK)} => ${JSON.stringify(SLACK_2)}`, `"${HIDDEN}" => "${HIDDEN}"`),
      `${who}: the change says which URL changed, not to what; the rest as written`,
    );
    t.match(seen[1]?.description, /^hour: "\*" => "3"$/m);
    t.same(
      JSON.parse(seen[0]?.description as string),
      { ...JSON.parse(deleted), notify_slack_url: HIDDEN, notify_webhook_url: HIDDEN },
      `${who}: the deleted job, URLs hidden`,
    );
  }
});

t.test('with no users, everyone sees everything, as in ndscheduler', async (t) => {
  const open = await startApi(t, testEnvironment(t));
  const id = (
    await open.request('POST', '/api/v1/jobs', {
      name: 'open',
      job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
      minute: '*/5',
      notify_slack_url: SLACK,
    })
  ).body.job_id;
  t.match((await open.request('GET', `/api/v1/jobs/${id}`)).body, { notify_slack_url: SLACK });
});

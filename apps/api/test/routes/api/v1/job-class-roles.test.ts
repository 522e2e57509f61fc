// A job class says which role may create, change or run its jobs: ShellJob and CurlJob need an admin. The
// API refuses an editor with a 403 naming the class and the role; a worker refuses to run a job whose
// author had too low a role (the API cannot know a class no live worker offers). JOB_CLASS_ROLES overrides.
import { loginCookie, type TestEnvironment, testEnvironment, waitFor } from '@tickwork/testing';
import { type ApiClient, runToEnd, startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

const SHELL = 'simple_scheduler.jobs.shell_job.ShellJob';
const AWESOME = 'simple_scheduler.jobs.sample_job.AwesomeJob';
const auth = {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
};

interface Callers {
  admin: Record<string, string>;
  editor: Record<string, string>;
  editorToken: Record<string, string>;
}

/** An API with users: the admin, an editor (a session) and an editor's API token. */
async function apiWithEditors(environment: TestEnvironment): Promise<{ api: ApiClient; as: Callers }> {
  const api = await startApi(t, environment);
  await api.app.userService.add('ed', 'Very$ecret-ed', 'editor');
  // Session writes go as JSON, which also satisfies the CSRF check.
  const json = { 'content-type': 'application/json' };
  const admin = { cookie: await loginCookie(api.base, 'admin', 'Very$ecret'), ...json };
  const token = (await api.request('POST', '/api/v1/tokens', { name: 'deployer', role: 'editor' }, admin)).body.token;
  return {
    api,
    as: {
      admin,
      editor: { cookie: await loginCookie(api.base, 'ed', 'Very$ecret-ed'), ...json },
      editorToken: { authorization: `Bearer ${token}` },
    },
  };
}

function shellJob(name: string, argv: string[] = ['true']) {
  return { name, job_class_string: SHELL, pub_args: argv, hour: '0' };
}

const tap = t; // the file's own: a worker started under it outlives the subtest that starts it
const environment = testEnvironment(t, auth);
const { api, as } = await apiWithEditors(environment);

t.test('a class no live worker offers: the API lets the editor, the worker refuses to run it', async (t) => {
  const everySecond = { name: 'editor’s shell', job_class_string: SHELL, pub_args: ['true'], second: '*/1' };
  const created = await api.request('POST', '/api/v1/jobs', everySecond, as.editor);
  t.equal(created.status, 201, 'no worker declares ShellJob yet, so the API cannot tell');
  const jobId = created.body.job_id;

  await startWorker(tap, environment);
  const fired = await waitFor('a fire of the job to be refused', async () => {
    const { body } = await api.request('GET', '/api/v1/executions', undefined, as.admin);
    return body.executions.find((e: { job: { job_id: string } }) => e.job.job_id === jobId);
  });
  t.equal(fired.state, 'scheduled error', 'the fire is refused');
  t.match(
    fired.description,
    new RegExp(
      `^Job class ${SHELL} needs the admin role, but this job was last created or changed with the editor role`,
    ),
  );

  const byAdmin = await runToEnd(api, jobId, as.admin);
  t.equal(byAdmin.state, 'scheduled error', 'a run-now is refused too, whoever asks: the job is the editor’s');
  t.match(byAdmin.description, /needs the admin role/);

  const saved = await api.request('PUT', `/api/v1/jobs/${jobId}`, { second: '0', minute: '0' }, as.admin);
  t.equal(saved.status, 200, 'an admin saves the job');
  t.equal((await runToEnd(api, jobId, as.admin)).state, 'succeeded', 'now it is the admin’s, and runs');
  t.equal(
    (await api.request('PUT', `/api/v1/jobs/${jobId}`, { name: 'taken back' }, as.editor)).status,
    403,
    'and the editor can no longer change it, now that a live worker declares the class',
  );
});

t.test('job classes show the role their jobs need', async (t) => {
  const { body } = await api.request('GET', '/api/v1/job-classes', undefined, as.editor);
  const roles = Object.fromEntries(
    body.job_classes.map((c: { job_class_string: string; required_role: string }) => [
      c.job_class_string,
      c.required_role,
    ]),
  );
  t.same(roles, {
    'simple_scheduler.jobs.curl_job.CurlJob': 'admin',
    [AWESOME]: 'editor',
    [SHELL]: 'admin',
    'simple_scheduler.jobs.slack_job.SlackJob': 'editor',
  });
});

t.test('an editor, by session or token, gets 403 for every change to a ShellJob, none for an AwesomeJob', async (t) => {
  const forbidden = new RegExp(`^forbidden: ${SHELL} needs the admin role to create, change or run its jobs`);
  for (const [who, headers] of [
    ['session', as.editor],
    ['token', as.editorToken],
  ] as const) {
    const created = await api.request('POST', '/api/v1/jobs', shellJob('by an editor'), headers);
    t.equal(created.status, 403, `${who}: create is refused`);
    t.match(created.body.error, forbidden);
    t.match(created.body.error, who === 'session' ? /; ed is editor$/ : /; token:deployer is editor$/);
  }

  const own = (await api.request('POST', '/api/v1/jobs', { ...shellJob('x'), job_class_string: AWESOME }, as.editor))
    .body.job_id;
  const turned = await api.request('PUT', `/api/v1/jobs/${own}`, { job_class_string: SHELL }, as.editor);
  t.equal(turned.status, 403, 'an AwesomeJob cannot be turned into a ShellJob');
  t.match(turned.body.error, forbidden);

  const adminsJob = (await api.request('POST', '/api/v1/jobs', shellJob('the admin’s'), as.admin)).body.job_id;
  const attempts: Array<[string, string, unknown]> = [
    ['PUT', `/api/v1/jobs/${adminsJob}`, { pub_args: ['/usr/bin/env'] }],
    ['PUT', `/api/v1/jobs/${adminsJob}`, { job_class_string: AWESOME }],
    ['PATCH', `/api/v1/jobs/${adminsJob}`, ''],
    ['OPTIONS', `/api/v1/jobs/${adminsJob}`, ''],
    ['DELETE', `/api/v1/jobs/${adminsJob}`, ''],
    ['POST', `/api/v1/executions/${adminsJob}`, ''],
    ['POST', '/api/v1/executions', { job_id: adminsJob }],
  ];
  for (const [method, path, body] of attempts) {
    for (const headers of [as.editor, as.editorToken]) {
      const res = await api.request(method, path, body, headers);
      t.equal(res.status, 403, `${method} ${path} ${JSON.stringify(body)}`);
      t.match(res.body.error, forbidden);
    }
  }
  const job = (await api.request('GET', `/api/v1/jobs/${adminsJob}`, undefined, as.editor)).body;
  t.match(job, { pub_args: ['true'], job_class_string: SHELL }, 'the job is as the admin left it');
  t.notOk('author_role' in job, 'the ndscheduler job JSON does not show who wrote it');
  t.equal((await runToEnd(api, adminsJob, as.admin)).state, 'succeeded', 'an admin may run it');

  // All of it is the editor's to do with an AwesomeJob.
  for (const headers of [as.editor, as.editorToken]) {
    const created = await api.request('POST', '/api/v1/jobs', { ...shellJob('x'), job_class_string: AWESOME }, headers);
    t.equal(created.status, 201);
    const id = created.body.job_id;
    t.equal((await api.request('PUT', `/api/v1/jobs/${id}`, { pub_args: ['a', 'b'] }, headers)).status, 200);
    t.equal((await api.request('PATCH', `/api/v1/jobs/${id}`, '', headers)).status, 200);
    t.equal((await api.request('OPTIONS', `/api/v1/jobs/${id}`, '', headers)).status, 200);
    const run = await runToEnd(api, id, headers);
    t.equal(run.state, 'succeeded');
    t.notOk('author_role' in run.job, 'nor does the execution JSON');
    t.equal((await api.request('DELETE', `/api/v1/jobs/${id}`, '', headers)).status, 200);
  }
});

t.test('JOB_CLASS_ROLES lets editors have ShellJob', async (t) => {
  const relaxed = testEnvironment(t, { ...auth, JOB_CLASS_ROLES: `${SHELL}=editor,${AWESOME}=admin` });
  const { api, as } = await apiWithEditors(relaxed);
  await startWorker(t, relaxed);
  await waitFor('the worker to publish its classes', async () => {
    const { body } = await api.request('GET', '/api/v1/job-classes', undefined, as.editor);
    return body.job_classes.length > 0;
  });
  const created = await api.request('POST', '/api/v1/jobs', shellJob('editor’s shell', ['/bin/echo', 'hi']), as.editor);
  t.equal(created.status, 201);
  const run = await runToEnd(api, created.body.job_id, as.editor);
  t.equal(run.state, 'succeeded', 'and the worker runs it');
  const awesome = await api.request('POST', '/api/v1/jobs', { ...shellJob('x'), job_class_string: AWESOME }, as.editor);
  t.equal(awesome.status, 403, 'a class raised to admin is refused');
  t.match(awesome.body.error, `forbidden: ${AWESOME} needs the admin role`);
});

// The REST document's calls made with its cookie jar (shared/seed/ndscheduler-rest-api.txt, Authentication):
// log in with curl as written, then `curl --cookie my_cookie.txt -X PATCH|OPTIONS|PUT|DELETE ...` and
// `-X POST .../executions/<job_id>` with no body, exactly as a script writes them (curl sends
// `User-Agent: curl/...`, `Accept: */*`, no Origin). They pass; what a browser could be made to send for
// another site — a form-encodable POST, or anything it marks cross-site — is still refused.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testEnvironment, waitFor } from '@tickwork/testing';
import { startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
await startWorker(t, environment);
// An admin: the run to stop is a ShellJob's, a class for admins.
await api.app.userService.add('user', 'Very$ecret', 'admin');
// As the document writes it: localhost and the port (the API listens on 127.0.0.1; curl finds it).
const host = `localhost:${new URL(api.base).port}`;
const jar = join(await mkdtemp(join(tmpdir(), 'tickwork-cookie-')), 'my_cookie.txt');
const run = promisify(execFile);

/** curl with these arguments and the cookie jar, as the document does: the status and the JSON answered. */
// biome-ignore lint/suspicious/noExplicitAny: the JSON the API answered
async function curl(...args: string[]): Promise<{ status: number; body: any }> {
  const { stdout } = await run('curl', ['--silent', '--cookie', jar, ...args, '--write-out', '\n%{http_code}'], {
    encoding: 'utf8',
  });
  const cut = stdout.lastIndexOf('\n');
  const text = stdout.slice(0, cut);
  return { status: Number(stdout.slice(cut + 1)), body: text ? JSON.parse(text) : undefined };
}

t.before(async () => {
  // The document's login, word for word (host and port aside): the jar goes to stdout, into my_cookie.txt.
  await run(
    'sh',
    [
      '-c',
      `curl --silent --output /dev/null \\
     --data-urlencode "username=user" \\
     --data-urlencode 'password=Very$ecret' \\
     --cookie-jar - 'http://${host}/login' \\
     > ${jar}`,
    ],
    { encoding: 'utf8' },
  );
  const cookies = await readFile(jar, 'utf8');
  if (!/tickwork_session/.test(cookies)) throw new Error(`no session in the cookie jar: ${cookies}`);
});

const FIRST_JOB =
  '{"job_class_string": "simple_scheduler.jobs.sample_job.AwesomeJob", "name": "My first job", "minute": "*/1", "pub_args": ["arg1", 2]}';

/** Adds a job as the document does (POST with the JSON type and the cookie jar): its id. */
async function newJob(data = FIRST_JOB): Promise<string> {
  const { status, body } = await curl(
    '-X',
    'POST',
    '--header',
    'Content-Type:application/json',
    '--data',
    data,
    `${host}/api/v1/jobs`,
  );
  if (status !== 201) throw new Error(`job not created: ${status} ${JSON.stringify(body)}`);
  return body.job_id;
}

t.test('pause, resume, change, run now, stop and delete with the cookie jar and no content type', async (t) => {
  const id = await newJob();
  const job = () => curl(`${host}/api/v1/jobs/${id}`);

  t.same(await curl('-X', 'PATCH', `${host}/api/v1/jobs/${id}`), { status: 200, body: { job_id: id } }, 'PATCH pauses');
  t.equal((await job()).body.next_run_time, '', 'paused');
  t.same(
    await curl('-X', 'OPTIONS', `${host}/api/v1/jobs/${id}`),
    { status: 200, body: { job_id: id } },
    'OPTIONS resumes',
  );
  t.not((await job()).body.next_run_time, '', 'resumed');
  t.same(await curl('-X', 'PUT', `${host}/api/v1/jobs/${id}`), { status: 200, body: { job_id: id } }, 'PUT, no body');

  const ran = await curl('-X', 'POST', `${host}/api/v1/executions/${id}`);
  t.equal(ran.status, 200, 'POST /executions/<job_id> with no body runs it');
  t.match(ran.body, { execution_id: /^[0-9a-f]{32}$/ });
  await waitFor('the run to succeed', async () => {
    const { body } = await curl(`${host}/api/v1/executions/${ran.body.execution_id}`);
    return body.state === 'succeeded';
  });

  t.same(await curl('-X', 'DELETE', `${host}/api/v1/jobs/${id}`), { status: 200, body: { job_id: id } }, 'DELETE');
  t.same(await job(), { status: 400, body: { error: `Job not found: ${id}` } }, 'gone');

  const logs = await curl(`${host}/api/v1/logs`);
  t.same(
    logs.body.logs.filter((l: { job_id: string }) => l.job_id === id).map((l: { event: string }) => l.event),
    ['deleted', 'custom_run', 'modified', 'resumed', 'paused', 'added'],
    'each one done, in the audit log',
  );
  t.ok(
    logs.body.logs.filter((l: { job_id: string }) => l.job_id === id).every((l: { user: string }) => l.user === 'user'),
    'as the logged-in user',
  );
});

t.test('a run is stopped with the cookie jar and DELETE, no content type', async (t) => {
  const id = await newJob(
    '{"job_class_string": "simple_scheduler.jobs.shell_job.ShellJob", "name": "long", "hour": "0", "pub_args": ["sleep", "60"]}',
  );
  const ran = await curl('-X', 'POST', `${host}/api/v1/executions/${id}`);
  t.equal(ran.status, 200);
  const execution = `${host}/api/v1/executions/${ran.body.execution_id}`;
  await waitFor('the run to start', async () => (await curl(execution)).body.state === 'running');
  const stopped = await curl('-X', 'DELETE', execution);
  t.same(stopped, { status: 200, body: { execution_id: ran.body.execution_id } }, 'DELETE stops the run');
  await waitFor('the run to be stopped', async () => (await curl(execution)).body.state === 'stopped');
});

t.test('what a form or another site could send is refused, saying why', async (t) => {
  const id = await newJob();
  const runNow = `${host}/api/v1/executions/${id}`;
  const formMessage =
    'a POST with a session cookie that a form could have sent must be Content-Type: application/json or carry X-CSRF-Token';
  const refusals: [string, string[], string][] = [
    ['a urlencoded body (curl -d, as a form posts)', ['-X', 'POST', '-d', 'a=b', runNow], formMessage],
    ['text/plain', ['-X', 'POST', '-H', 'Content-Type: text/plain', '--data', 'x', runNow], formMessage],
    ['multipart', ['-X', 'POST', '-F', 'a=b', runNow], formMessage],
    ['a body without a type', ['-X', 'POST', '-H', 'Content-Type:', '--data-binary', 'x', runNow], formMessage],
    [
      'no body, but from a browser of our own origin',
      ['-X', 'POST', '-H', `Origin: http://${host}`, runNow],
      formMessage,
    ],
    [
      'no body, but a browser says same-origin',
      ['-X', 'POST', '-H', 'Sec-Fetch-Site: same-origin', runNow],
      formMessage,
    ],
    ['another origin', ['-X', 'POST', '-H', 'Origin: https://evil.example', runNow], 'cross-site request refused'],
    [
      'a browser says cross-site',
      ['-X', 'DELETE', '-H', 'Sec-Fetch-Site: cross-site', `${host}/api/v1/jobs/${id}`],
      'cross-site request refused',
    ],
    [
      'a PATCH from another origin',
      ['-X', 'PATCH', '-H', 'Origin: https://evil.example', `${host}/api/v1/jobs/${id}`],
      'cross-site request refused',
    ],
  ];
  for (const [what, args, error] of refusals) {
    t.same(await curl(...args), { status: 403, body: { error } }, what);
  }
  const wrongToken = await curl('-X', 'PATCH', '-H', `X-CSRF-Token: ${'x'.repeat(32)}`, `${host}/api/v1/jobs/${id}`);
  t.same(
    wrongToken,
    {
      status: 403,
      body: { error: "X-CSRF-Token is not this session's token (GET /api/v1/session gives it as csrf_token)" },
    },
    "a token that is not the session's is refused, whatever the method",
  );
  const job = await curl(`${host}/api/v1/jobs/${id}`);
  t.not(job.body.next_run_time, '', 'the job was not paused');
  const logs = await curl(`${host}/api/v1/logs`);
  t.same(
    logs.body.logs.filter((l: { job_id: string }) => l.job_id === id).map((l: { event: string }) => l.event),
    ['added'],
    'nothing of it was done',
  );

  const { csrf_token } = (await curl(`${host}/api/v1/session`)).body;
  const page = await curl('-X', 'POST', '-H', `Origin: http://${host}`, '-H', `X-CSRF-Token: ${csrf_token}`, runNow);
  t.equal(page.status, 200, "a browser's POST with the session's token passes (as the web UI sends)");
  const json = await curl('-X', 'POST', '-H', 'Content-Type: application/json', '-H', `Origin: http://${host}`, runNow);
  t.equal(json.status, 200, 'a JSON POST from our own origin passes');
});

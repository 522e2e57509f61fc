// The CSRF rule for writes authenticated by the session cookie, against the real API, Redis sessions and the
// MongoDB-wire server: what it refuses, what it lets through, and that odd bytes are a 403, never a 500.
import { loginCookie, rawHttp, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
await api.app.userService.add('user', 'Very$ecret', 'editor');
const { host } = new URL(api.base);
const AWESOME = 'simple_scheduler.jobs.sample_job.AwesomeJob';

async function newJob(cookie: string): Promise<string> {
  const res = await api.request(
    'POST',
    '/api/v1/jobs',
    { name: 'j', job_class_string: AWESOME, minute: '*/5' },
    { cookie },
  );
  if (res.status !== 201) throw new Error(`job not created: ${res.status} ${res.text}`);
  return res.body.job_id;
}

t.test('an X-CSRF-Token with bytes beyond ASCII is a 403 JSON, not a 500', async (t) => {
  const cookie = await loginCookie(api.base, 'user', 'Very$ecret');
  const id = await newJob(cookie);
  const { csrf_token } = (await api.request('GET', '/api/v1/session', undefined, { cookie })).body;
  t.equal(csrf_token.length, 32);
  const tokens = {
    // As many characters as the real token (Node reads header bytes as latin1), one more byte in UTF-8.
    'one latin1 byte': Buffer.concat([Buffer.from([0xe9]), Buffer.from(csrf_token.slice(1))]),
    'as many bytes as the token, all high': Buffer.alloc(32, 0xff),
    'UTF-8 bytes': Buffer.concat([Buffer.from('é'), Buffer.from(csrf_token.slice(2))]),
  };
  for (const [what, token] of Object.entries(tokens)) {
    const answer = await rawHttp(
      api.base,
      Buffer.concat([
        Buffer.from(`PATCH /api/v1/jobs/${id} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nX-CSRF-Token: `),
        token,
        Buffer.from('\r\nConnection: close\r\n\r\n'),
      ]),
    );
    t.equal(answer.status, 403, what);
    t.match(answer.headers['content-type'], /^application\/json/, what);
    t.match(answer.body, { error: /X-CSRF-Token/ }, what);
  }
  const job = await api.request('GET', `/api/v1/jobs/${id}`, undefined, { cookie });
  t.not(job.body.next_run_time, '', 'the job was not paused');
});

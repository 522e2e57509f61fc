import { connect } from 'node:net';
import { schedulerIdFor } from '@tickwork/queue';
import { testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
const queue = api.app.runQueue;

async function createJob(body: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/api/v1/jobs', {
    name: 'job',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    minute: '*/5',
    ...body,
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.text}`);
  return res.body.job_id as string;
}

t.test('a created job is mirrored as a BullMQ scheduler with its timezone', async (t) => {
  const id = await createJob({ hour: '9', minute: '30', timezone: 'Europe/Berlin' });
  const scheduler = await queue.getJobScheduler(schedulerIdFor(id));
  t.equal(scheduler?.tz, 'Europe/Berlin');
  const job = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.match(job, {
    hour: '9',
    minute: '30',
    second: '0',
    timezone: 'Europe/Berlin',
    next_run_time: /T09:30:00\.000000\+0[12]:00$/,
  });
  t.equal(Date.parse(job.next_run_time), scheduler?.next, 'next_run_time is the fire BullMQ holds');
});

t.test('omitted cron fields come back filled in, as APScheduler does', async (t) => {
  const id = await createJob({ minute: undefined, hour: '*/1' });
  t.match((await api.request('GET', `/api/v1/jobs/${id}`)).body, {
    month: '*',
    day: '*',
    week: '*',
    day_of_week: '*',
    hour: '*/1',
    minute: '0',
  });
});

t.test('PUT is visible to the next GET, replaces the schedule and keeps a paused job paused', async (t) => {
  const id = await createJob();
  t.equal((await api.request('PATCH', `/api/v1/jobs/${id}`)).status, 200);
  const put = await api.request('PUT', `/api/v1/jobs/${id}`, { name: 'renamed', hour: '3', pub_args: [1] });
  t.same(put.body, { job_id: id });
  const job = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.match(job, { name: 'renamed', hour: '3', minute: '0', pub_args: [1], next_run_time: '' });
  t.equal(await queue.getJobScheduler(schedulerIdFor(id)), undefined, 'still no scheduler while paused');
});

t.test('PUT of a schedule on an active job moves its scheduler', async (t) => {
  const id = await createJob({ minute: '*/5' });
  await api.request('PUT', `/api/v1/jobs/${id}`, { minute: '7', hour: '23' });
  const scheduler = await queue.getJobScheduler(schedulerIdFor(id));
  t.equal(new Date(scheduler?.next as number).toISOString().slice(11, 19), '23:07:00');
});

t.test('pause removes the scheduler, resume restores it, DELETE removes it', async (t) => {
  const id = await createJob();
  t.ok(await queue.getJobScheduler(schedulerIdFor(id)));
  await api.request('PATCH', `/api/v1/jobs/${id}`);
  t.equal(await queue.getJobScheduler(schedulerIdFor(id)), undefined);
  await api.request('OPTIONS', `/api/v1/jobs/${id}`);
  t.ok(await queue.getJobScheduler(schedulerIdFor(id)));
  await api.request('DELETE', `/api/v1/jobs/${id}`);
  t.equal(await queue.getJobScheduler(schedulerIdFor(id)), undefined);
});

t.test('a CORS preflight is answered as a preflight and never resumes', async (t) => {
  const id = await createJob();
  await api.request('PATCH', `/api/v1/jobs/${id}`);
  const res = await api.request('OPTIONS', `/api/v1/jobs/${id}`, undefined, {
    origin: 'http://elsewhere.example',
    'access-control-request-method': 'PATCH',
  });
  t.equal(res.status, 204);
  t.equal(res.headers.get('access-control-allow-origin'), null, 'CORS stays off');
  t.equal((await api.request('GET', `/api/v1/jobs/${id}`)).body.next_run_time, '', 'still paused');
});

t.test('a description: a note for people, empty unless given, changed by PUT and in the audit log', async (t) => {
  const plain = await createJob();
  t.equal((await api.request('GET', `/api/v1/jobs/${plain}`)).body.description, '');
  const id = await createJob({ description: 'Rotates the logs.\nAsk ops before pausing.' });
  t.equal(
    (await api.request('GET', `/api/v1/jobs/${id}`)).body.description,
    'Rotates the logs.\nAsk ops before pausing.',
  );
  await api.request('PUT', `/api/v1/jobs/${id}`, { description: 'Rotates the logs.' });
  t.equal((await api.request('GET', `/api/v1/jobs/${id}`)).body.description, 'Rotates the logs.');
  const { logs } = (await api.request('GET', '/api/v1/logs')).body;
  t.match(
    logs.find((entry: { job_id: string; event: string }) => entry.job_id === id && entry.event === 'modified'),
    { description: /^description: "Rotates the logs\.\\nAsk ops before pausing\." => "Rotates the logs\."$/ },
  );
  const long = await api.request('PUT', `/api/v1/jobs/${id}`, { description: 'x'.repeat(2001) });
  t.equal(long.status, 400);
  t.match(long.body.error, /^description must NOT have more than 2000 characters/);
});

t.test('bad input is a 400 naming the problem', async (t) => {
  const id = await createJob();
  const cases: Array<[string, string, unknown, RegExp, string?]> = [
    ['POST', '/api/v1/jobs', '{"name": "x",', /malformed JSON/],
    ['POST', '/api/v1/jobs', { job_class_string: 'a.B', minute: '1' }, /name is required/],
    ['POST', '/api/v1/jobs', { name: 'x', minute: '1' }, /job_class_string is required/],
    ['POST', '/api/v1/jobs', { name: { a: 1 }, job_class_string: 'a.B', minute: '1' }, /^name must be string/],
    ['POST', '/api/v1/jobs', { name: 123, job_class_string: 'a.B', minute: '1' }, /^name must be string/],
    [
      'POST',
      '/api/v1/jobs',
      { name: 'x', job_class_string: 'a.B', pub_args: 'a', minute: '1' },
      /^pub_args must be array/,
    ],
    ['POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B' }, /at least one of month, day/],
    [
      'POST',
      '/api/v1/jobs',
      { name: 'x', job_class_string: 'a.B', minute: '60' },
      /^minute: .*higher than the maximum/,
    ],
    ['POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B', hour: '*/0' }, /^hour: /],
    ['POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B', day_of_week: 'funday' }, /^day_of_week: .*funday/],
    ['POST', '/api/v1/jobs', { name: 'x', job_class_string: 'a.B', month: 'smarch' }, /^month: /],
    [
      'POST',
      '/api/v1/jobs',
      { name: 'x', job_class_string: 'a.B', minute: { x: 1 } },
      /^minute must be a string or a whole number/,
    ],
    [
      'POST',
      '/api/v1/jobs',
      { name: 'x', job_class_string: 'a.B', minute: '1', timezone: 'Mars/Olympus' },
      /^timezone: unknown/,
    ],
    ['POST', '/api/v1/jobs', '[1, 2]', /request body must be a JSON object/],
    [
      'POST',
      '/api/v1/jobs',
      { name: 'x', job_class_string: 'a.B', minute: '1', timeout: 0 },
      /^timeout must be a number >= 1 or null$/,
    ],
    ['PUT', `/api/v1/jobs/${id}`, { timeout: 'soon' }, /^timeout must be a whole number or null$/],
    [
      'PUT',
      `/api/v1/jobs/${id}`,
      { notify_slack_url: 'ftp://x' },
      /^notify_slack_url must be text matching .* or null$/,
    ],
    ['PUT', `/api/v1/jobs/${id}`, { minute: '99' }, /^minute: /],
    ['PUT', `/api/v1/jobs/${id}`, { name: false }, /^name must be string/],
    ['GET', '/api/v1/jobs/not-an-id', undefined, /Invalid job_id/],
    ['GET', `/api/v1/jobs/${'0'.repeat(32)}`, undefined, /^Job not found: 0{32}$/],
    ['PUT', `/api/v1/jobs/${'0'.repeat(32)}`, { name: 'x' }, /^Job not found/],
    ['DELETE', `/api/v1/jobs/${'0'.repeat(32)}`, undefined, /^Job not found/],
    ['PATCH', `/api/v1/jobs/${'0'.repeat(32)}`, undefined, /^Job not found/],
    ['OPTIONS', `/api/v1/jobs/${'0'.repeat(32)}`, undefined, /^Job not found/],
  ];
  for (const [method, path, body, error] of cases) {
    const res = await api.request(method, path, body);
    t.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → 400`);
    t.match(res.body, { error }, `${method} ${JSON.stringify(body)}: ${res.body?.error}`);
  }
  const unchanged = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.equal(unchanged.minute, '*/5', 'a rejected PUT changed nothing');
});

t.test('unknown fields are a 400 naming them; what a GET shows may be sent back', async (t) => {
  const id = await createJob({ hour: '4' });
  for (const [method, path, body, error] of [
    [
      'POST',
      '/api/v1/jobs',
      { name: 'x', job_class_string: 'a.B', hour: '3', minutes: '30' },
      /^unknown field "minutes" \(did you mean "minute"\?\); the fields are name, job_class_string, /,
    ],
    ['PUT', `/api/v1/jobs/${id}`, { minutes: '30' }, /^unknown field "minutes" \(did you mean "minute"\?\)/],
    [
      'PUT',
      `/api/v1/jobs/${id}`,
      { Hour: '5', run_on: ['backup'] },
      /^unknown fields "Hour" \(did you mean "hour"\?\), "run_on"; /,
    ],
    ['PUT', `/api/v1/jobs/${id}`, { timeout_sec: 5 }, /^unknown field "timeout_sec" \(did you mean "timeout"\?\)/],
  ] as const) {
    const res = await api.request(method, path, body);
    t.equal(res.status, 400, `${method} ${JSON.stringify(body)} → 400`);
    t.match(res.body, { error }, res.body?.error);
  }
  t.equal((await api.request('GET', `/api/v1/jobs/${id}`)).body.hour, '4', 'a refused PUT changed nothing');

  // A read-modify-write client: GET, change a field, PUT the whole answer back.
  const shown = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  const put = await api.request('PUT', `/api/v1/jobs/${id}`, { ...shown, hour: '6' });
  t.equal(put.status, 200, 'a GET answer sent back whole is taken');
  const changed = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.equal(changed.hour, '6');
  t.equal(changed.job_id, id, 'job_id and next_run_time were ignored');
  const copy = await api.request('POST', '/api/v1/jobs', { ...shown, name: 'copy' });
  t.equal(copy.status, 201, 'and so is one POSTed as a new job');
  t.not(copy.body.job_id, id, 'under an id of its own');
});

t.test('arguments are any JSON, stored as given; past what JSON holds or the caps, a 400 saying which', async (t) => {
  const args = [[1, 2], { 'a.b': 1, $x: 2, 'k\u0000': [null, true, 'é'] }, -0.5, 1e300];
  const id = await createJob({ pub_args: args });
  t.same((await api.request('GET', `/api/v1/jobs/${id}`)).body.pub_args, args, 'read back as given');
  await api.request('PUT', `/api/v1/jobs/${id}`, { pub_args: [[[['deep']]]] });
  t.same((await api.request('GET', `/api/v1/jobs/${id}`)).body.pub_args, [[[['deep']]]], 'and changed as given');
  let deep: unknown = 'bottom';
  for (let i = 0; i < 40; i++) deep = [deep];
  for (const [body, message] of [
    [
      '{"name":"n","job_class_string":"a.B","hour":"1","pub_args":[1e400]}',
      /pub_args: pub_args\[0\] is a number JSON cannot hold/,
    ],
    [
      JSON.stringify({ name: 'n', job_class_string: 'a.B', hour: '1', pub_args: ['x'.repeat(70_000)] }),
      /at most 65536 allowed/,
    ],
    [
      JSON.stringify({ name: 'n', job_class_string: 'a.B', hour: '1', pub_args: [deep] }),
      /nested deeper than 32 levels/,
    ],
  ] as const) {
    const res = await api.request('POST', '/api/v1/jobs', body);
    t.equal(res.status, 400);
    t.match(res.body.error, message);
  }
});

t.test('a body that is not UTF-8 is refused, not stored with replacement characters', async (t) => {
  const body = Buffer.concat([
    Buffer.from('{"name":"bad '),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('","job_class_string":"a.B","hour":"1"}'),
  ]);
  const res = await fetch(`${api.base}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  t.equal(res.status, 400);
  t.match(await res.json(), { error: 'malformed JSON body: it is not valid UTF-8' });
});

t.test('a body over the limit is a 413 JSON error', async (t) => {
  const res = await api.request('POST', '/api/v1/jobs', { name: 'x'.repeat(2 * 1024 * 1024), job_class_string: 'a' });
  t.equal(res.status, 413);
  t.match(res.body, { error: /too large/ });
});

/**
 * A client as Python's requests and urllib are: it sends the whole request, body included, without `Expect:
 * 100-continue`, and only then reads, one answer (by its Content-Length). Returns the answer, or the socket
 * error it got instead.
 */
async function sendWholeThenRead(headers: string, body: Buffer): Promise<string> {
  const url = new URL(api.base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const read: Buffer[] = [];
    socket.on('error', (err) => resolve(`socket error: ${(err as NodeJS.ErrnoException).code}`));
    socket.write(headers);
    // Nothing is read from the socket before the whole body has been handed to the kernel.
    socket.pause();
    socket.write(body, () => {
      socket.on('data', (chunk) => {
        read.push(chunk);
        const text = Buffer.concat(read).toString('utf8');
        const [head, rest] = text.split('\r\n\r\n', 2);
        const length = /\r\ncontent-length: (\d+)/i.exec(head ?? '')?.[1];
        if (rest !== undefined && length !== undefined && Buffer.byteLength(rest) >= Number(length)) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('end', () => resolve(Buffer.concat(read).toString('utf8')));
      socket.resume();
    });
  });
}

t.test('a body over the limit is a 413 that a client sending it whole still reads', async (t) => {
  const body = Buffer.alloc(8 * 1024 * 1024, 'x');
  const start = `POST /api/v1/jobs HTTP/1.1\r\nHost: ${new URL(api.base).host}\r\nContent-Type: application/json\r\n`;
  for (const [framing, headers, payload] of [
    ['Content-Length', `${start}Content-Length: ${body.length}\r\n\r\n`, body],
    [
      'chunked',
      `${start}Transfer-Encoding: chunked\r\n\r\n`,
      Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]),
    ],
  ] as const) {
    const answer = await sendWholeThenRead(headers, payload);
    t.match(answer, /^HTTP\/1\.1 413 Payload Too Large\r\n/, `${framing}: the status is read`);
    t.match(answer, /\r\n\r\n\{"error":"request body is too large"\}$/, `${framing}: and the JSON error`);
  }
});

t.test('an unknown route is a 404 JSON error', async (t) => {
  const res = await api.request('GET', '/api/v1/nothing');
  t.equal(res.status, 404);
  t.match(res.body, { error: /Not found/ });
});

t.test('cron: a crontab line instead of the APScheduler fields, mirrored and shown', async (t) => {
  const plain = await createJob();
  t.equal((await api.request('GET', `/api/v1/jobs/${plain}`)).body.cron, null, 'a job without one shows null');

  const id = await createJob({ minute: undefined, cron: '30 9 * * mon-fri', timezone: 'Europe/Berlin' });
  const job = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.match(job, {
    cron: '30 9 * * mon-fri',
    month: '*',
    day: '*',
    week: '*',
    day_of_week: '*',
    hour: '*',
    minute: '*',
    second: '*',
    timezone: 'Europe/Berlin',
    next_run_time: /T09:30:00\.000000\+0[12]:00$/,
  });
  t.notOk([0, 6].includes(new Date(job.next_run_time).getUTCDay()), 'on a weekday');
  const scheduler = await queue.getJobScheduler(schedulerIdFor(id));
  t.equal(scheduler?.pattern, '{"cron":"30 9 * * mon-fri"}');
  t.equal(Date.parse(job.next_run_time), scheduler?.next, 'next_run_time is the fire BullMQ holds');
  const listed = (await api.request('GET', '/api/v1/jobs')).body.jobs.find((j: { job_id: string }) => j.job_id === id);
  t.equal(listed.cron, '30 9 * * mon-fri');
});

t.test('PUT: cron replaces the schedule, APScheduler fields clear cron', async (t) => {
  const id = await createJob({ minute: '*/5' });
  t.equal((await api.request('PUT', `/api/v1/jobs/${id}`, { cron: '0 23 * * *' })).status, 200);
  let job = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.match(job, { cron: '0 23 * * *', minute: '*', next_run_time: /T23:00:00\.000000\+00:00$/ });
  t.equal(
    new Date((await queue.getJobScheduler(schedulerIdFor(id)))?.next as number).toISOString().slice(11, 19),
    '23:00:00',
  );

  t.equal((await api.request('PUT', `/api/v1/jobs/${id}`, { name: 'renamed' })).status, 200);
  t.equal((await api.request('GET', `/api/v1/jobs/${id}`)).body.cron, '0 23 * * *', 'other changes keep it');

  t.equal((await api.request('PUT', `/api/v1/jobs/${id}`, { minute: '7', hour: '22' })).status, 200);
  job = (await api.request('GET', `/api/v1/jobs/${id}`)).body;
  t.match(job, { cron: null, hour: '22', minute: '7', second: '0', next_run_time: /T22:07:00\.000000\+00:00$/ });
  t.equal(
    new Date((await queue.getJobScheduler(schedulerIdFor(id)))?.next as number).toISOString().slice(11, 19),
    '22:07:00',
  );

  const { logs } = (await api.request('GET', '/api/v1/logs')).body;
  const modified = logs
    .filter((entry: { job_id: string; event: string }) => entry.job_id === id && entry.event === 'modified')
    .map((entry: { description: string }) => entry.description);
  t.ok(
    modified.some((d: string) => d.includes('cron: null => "0 23 * * *"')),
    'the audit log shows the line set',
  );
  t.ok(
    modified.some((d: string) => d.includes('cron: "0 23 * * *" => null')),
    'and dropped',
  );
});

t.test('cron: the 400s', async (t) => {
  const id = await createJob({ minute: undefined, cron: '@hourly' });
  const base = { name: 'x', job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob' };
  const cases: Array<[string, string, unknown, RegExp]> = [
    [
      'POST',
      '/api/v1/jobs',
      { ...base, cron: '*/5 * * * *', hour: '3' },
      /^cron and hour: give either a crontab line \(cron\) or APScheduler fields, not both$/,
    ],
    ['PUT', `/api/v1/jobs/${id}`, { cron: '*/5 * * * *', minute: '1' }, /^cron and minute: /],
    ['POST', '/api/v1/jobs', { ...base, cron: '0 25 * * *' }, /^cron: "0 25 \* \* \*": .*25/],
    ['POST', '/api/v1/jobs', { ...base, cron: '@sometimes' }, /^cron: unknown macro "@sometimes"/],
    ['POST', '/api/v1/jobs', { ...base, cron: '* * *' }, /^cron: "\* \* \*" has 3 fields/],
    [
      'POST',
      '/api/v1/jobs',
      { ...base, cron: '0 0 30 2 *' },
      /^cron: "0 0 30 2 \*" never matches, so the job would never run/,
    ],
    ['POST', '/api/v1/jobs', { ...base, cron: '0 0 31 4,6,9,11 *' }, /never matches, so the job would never run/],
    ['POST', '/api/v1/jobs', { ...base, cron: 5 }, /cron must be/],
    ['PUT', `/api/v1/jobs/${id}`, { cron: null }, /^cron: to drop the crontab line, give the APScheduler fields/],
  ];
  for (const [method, url, body, message] of cases) {
    const res = await api.request(method, url, body);
    t.equal(res.status, 400, JSON.stringify(body));
    t.match(res.body.error, message, JSON.stringify(body));
  }
  t.equal((await api.request('GET', `/api/v1/jobs/${id}`)).body.cron, '@hourly', 'the refused PUT changed nothing');
});

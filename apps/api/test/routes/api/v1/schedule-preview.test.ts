import { testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

t.test('lists the next fire times from the cron engine, in the zone asked for', async (t) => {
  const res = await api.request('POST', '/api/v1/schedule-preview', {
    minute: '*/15',
    hour: '9-17',
    timezone: 'Europe/Berlin',
    count: 3,
  });
  t.equal(res.status, 200);
  t.equal(res.body.timezone, 'Europe/Berlin');
  t.equal(res.body.next_run_times.length, 3);
  const times = res.body.next_run_times.map((text: string) => Date.parse(text));
  for (const [i, text] of res.body.next_run_times.entries()) {
    t.match(text, /^\d{4}-\d\d-\d\dT(09|1[0-7]):(00|15|30|45):00\.000000\+0[12]:00$/, text);
    if (i > 0) t.ok(times[i] > times[i - 1], 'in order');
  }
  t.ok(times[0] > Date.now() - 1000, 'from now on');
});

t.test('five by default, in TIMEZONE, and the first is the next_run_time a job with that schedule gets', async (t) => {
  const res = await api.request('POST', '/api/v1/schedule-preview', { second: '*/7' });
  t.same([res.status, res.body.timezone, res.body.next_run_times.length], [200, 'UTC', 5]);
  const schedule = { hour: '3', minute: '5', day_of_week: 'mon' };
  const preview = await api.request('POST', '/api/v1/schedule-preview', schedule);
  const created = await api.request('POST', '/api/v1/jobs', {
    name: 'weekly',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    ...schedule,
  });
  const job = await api.request('GET', `/api/v1/jobs/${created.body.job_id}`);
  t.equal(job.body.next_run_time, preview.body.next_run_times[0]);
});

t.test('bad fields are a 400 naming the field', async (t) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ minute: '61' }, /minute/],
    [{ day_of_week: 'someday' }, /day_of_week/],
    [{ minute: '0', timezone: 'Mars/Olympus' }, /timezone: unknown time zone/],
    [{ minute: '0', count: 21 }, /count must be <= 20/],
    [{ minute: '0', count: 0 }, /count must be >= 1/],
    [{ minute: [1] }, /minute must be a string or a whole number/],
    [{}, /at least one of month, day, week, day_of_week, hour, minute, second, or cron, is required/],
    [{ cron: '61 * * * *' }, /^cron: "61 \* \* \* \*": /],
    [{ cron: '* * * *' }, /^cron: "\* \* \* \*" has 4 fields; a crontab line has 5/],
    [
      { cron: '*/5 * * * *', minute: '5' },
      /^cron and minute: give either a crontab line \(cron\) or APScheduler fields, not both$/,
    ],
    [{ cron: '0 0 30 2 *' }, /^cron: "0 0 30 2 \*" never matches, so the job would never run/],
  ];
  for (const [body, message] of cases) {
    const res = await api.request('POST', '/api/v1/schedule-preview', body);
    t.equal(res.status, 400, JSON.stringify(body));
    t.match(res.body.error, message, JSON.stringify(body));
  }
});

t.test('a schedule that never fires is a 400 saying so, for a preview and for a job', async (t) => {
  const never = { week: '1', month: '2-11', timezone: 'America/New_York' };
  const preview = await api.request('POST', '/api/v1/schedule-preview', never);
  t.equal(preview.status, 400);
  t.match(preview.body.error, /never match together, so the job would never run/);
  const job = await api.request('POST', '/api/v1/jobs', { name: 'never', job_class_string: 'a.B', ...never });
  t.equal(job.status, 400);
  t.match(job.body.error, /never run/);
});

t.test('a crontab line (cron) previews by crontab rules, in its zone, as its job will fire', async (t) => {
  const res = await api.request('POST', '/api/v1/schedule-preview', {
    cron: '0 9 * * 7',
    timezone: 'America/New_York',
    count: 3,
  });
  t.equal(res.status, 200);
  t.equal(res.body.timezone, 'America/New_York');
  t.equal(res.body.next_run_times.length, 3);
  for (const text of res.body.next_run_times) {
    t.match(text, /T09:00:00\.000000-0[45]:00$/, text);
    t.equal(new Date(text).getUTCDay(), 0, `${text} is a Sunday`);
  }
  const seconds = await api.request('POST', '/api/v1/schedule-preview', { cron: '*/10 * * * * *', count: 2 });
  const [first, second] = seconds.body.next_run_times.map((text: string) => Date.parse(text));
  t.equal(second - first, 10_000, '6 fields: seconds first');

  const created = await api.request('POST', '/api/v1/jobs', {
    name: 'sundays',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    cron: '0 9 * * 7',
    timezone: 'America/New_York',
  });
  const job = await api.request('GET', `/api/v1/jobs/${created.body.job_id}`);
  t.equal(job.body.next_run_time, res.body.next_run_times[0]);
});

t.test('a crontab line that never fires is a 400 saying so', async (t) => {
  const res = await api.request('POST', '/api/v1/schedule-preview', { cron: '0 0 31 4,6,9,11 *' });
  t.equal(res.status, 400);
  t.match(res.body.error, /^cron: "0 0 31 4,6,9,11 \*" never matches, so the job would never run/);
});

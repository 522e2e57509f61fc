// A job's `cron` (a crontab line) against its APScheduler fields: what POST and PUT make of them.
import t from 'tap';
import {
  CRONTAB_JOB_FIELDS,
  type JobDefinition,
  mergeJobChanges,
  newJobDefinition,
  normalizeSchedule,
  scheduleFromPattern,
  schedulePattern,
  triggerFor,
} from '../src/job-definition.js';
import { ValidationError } from '../src/validation-error.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const base = { name: 'j', job_class_string: 'a.B' };

t.test('a crontab line is the schedule; the APScheduler fields show "*"', async (t) => {
  const job = newJobDefinition({ ...base, cron: '  */5   * * * * ' }, 'UTC');
  t.equal(job.cron, '*/5 * * * *', 'stored trimmed, one space between fields');
  t.same(
    {
      month: job.month,
      day: job.day,
      week: job.week,
      day_of_week: job.day_of_week,
      hour: job.hour,
      minute: job.minute,
      second: job.second,
    },
    CRONTAB_JOB_FIELDS,
  );
  t.same(CRONTAB_JOB_FIELDS, {
    month: '*',
    day: '*',
    week: '*',
    day_of_week: '*',
    hour: '*',
    minute: '*',
    second: '*',
  });
  t.equal(triggerFor(job).nextFireTime(NOW + 1), NOW + 5 * 60_000, 'fires by the line, not by the "*" fields');
});

t.test('jobs without cron are as before: cron null, the same pattern string', async (t) => {
  const job = newJobDefinition({ ...base, minute: '*/5' }, 'UTC');
  t.equal(job.cron, null);
  t.equal(
    schedulePattern(job),
    '{"month":"*","day":"*","week":"*","day_of_week":"*","hour":"*","minute":"*/5","second":"0"}',
  );
  t.same(scheduleFromPattern(schedulePattern(job), 'UTC'), {
    ...normalizeSchedule({ minute: '*/5' }, 'UTC'),
    cron: null,
  });
  const crontab = newJobDefinition({ ...base, cron: '0 9 * * 1-5' }, 'Europe/Berlin');
  t.equal(schedulePattern(crontab), '{"cron":"0 9 * * 1-5"}');
  t.same(scheduleFromPattern(schedulePattern(crontab), 'Europe/Berlin'), {
    ...CRONTAB_JOB_FIELDS,
    cron: '0 9 * * 1-5',
    timezone: 'Europe/Berlin',
  });
});

t.test('400s: both kinds of schedule, a bad line, a line that never fires', async (t) => {
  t.throws(() => normalizeSchedule({ cron: '* * * * *', minute: '5', hour: 3 }, 'UTC'), {
    name: 'ValidationError',
    field: 'cron',
    message: 'cron and hour, minute: give either a crontab line (cron) or APScheduler fields, not both',
  });
  t.throws(() => normalizeSchedule({ cron: '61 * * * *' }, 'UTC'), {
    field: 'cron',
    message: /^cron: "61 \* \* \* \*": /,
  });
  t.throws(() => normalizeSchedule({ cron: '0 0 30 2 *' }, 'UTC'), { field: 'cron', message: /^cron: / });
  // Accepted by cron-parser, and matching no date: the 31st of the 30-day months only.
  t.throws(() => normalizeSchedule({ cron: '0 0 31 4,6,9,11 *' }, 'UTC', NOW), {
    field: 'cron',
    message: 'cron: "0 0 31 4,6,9,11 *" never matches, so the job would never run (no fire time in the next 8 years)',
  });
  t.throws(() => normalizeSchedule({ cron: '* * * * *' }, 'Mars/Olympus'), {
    name: 'ValidationError',
    field: 'timezone',
    message: /^timezone: /,
  });
  t.throws(() => normalizeSchedule({ cron: null }, 'UTC'), ValidationError, 'null is no schedule');
});

t.test('PUT: a line replaces the schedule; APScheduler fields clear the line', async (t) => {
  const fields: JobDefinition = newJobDefinition({ ...base, hour: '3' }, 'UTC');
  const toLine = mergeJobChanges(fields, { cron: '@hourly' });
  t.same([toLine.cron, toLine.hour, toLine.minute], ['@hourly', '*', '*']);

  const timezoneOnly = mergeJobChanges(toLine, { timezone: 'Asia/Tokyo' });
  t.same([timezoneOnly.cron, timezoneOnly.timezone], ['@hourly', 'Asia/Tokyo'], 'other changes keep the line');

  const back = mergeJobChanges(toLine, { minute: '7' });
  t.same([back.cron, back.hour, back.minute, back.second], [null, '*', '7', '0'], 'fields given: the line is gone');

  const echoed = mergeJobChanges(fields, { cron: null, name: 'renamed' });
  t.same(
    [echoed.cron, echoed.hour, echoed.name],
    [null, '3', 'renamed'],
    'cron: null on a job without a line changes nothing',
  );

  t.throws(() => mergeJobChanges(toLine, { cron: null }), {
    field: 'cron',
    message: /^cron: to drop the crontab line, give the APScheduler fields to use instead/,
  });
  t.throws(() => mergeJobChanges(toLine, { cron: '* * * * *', day: '1' }), { message: /^cron and day: / });
});

import t from 'tap';
import { rawSchedule, type Schedule, scheduleInWords } from '../../src/lib/schedule-words.js';

const every: Schedule = { second: '0', minute: '*', hour: '*', day: '*', month: '*', day_of_week: '*', week: '*' };

t.test('common schedules read as words', async (t) => {
  const cases: Array<[Partial<Schedule>, string]> = [
    [{}, 'every minute'],
    [{ minute: '*/5' }, 'every 5 minutes'],
    [{ minute: '*/1' }, 'every minute'],
    [{ second: '*' }, 'every second'],
    [{ second: '*/10' }, 'every 10 seconds'],
    [{ minute: '15' }, 'every hour at minute 15'],
    [{ minute: '0', hour: '*/2' }, 'every 2 hours at minute 0'],
    [{ minute: '30', hour: '9' }, 'at 09:30'],
    [{ second: '5', minute: '30', hour: '9' }, 'at 09:30:05'],
    [{ minute: '0', hour: '9', day_of_week: 'mon-fri' }, 'at 09:00 on Monday to Friday'],
    [{ minute: '0', hour: '6', day_of_week: 'sat,sun' }, 'at 06:00 on Saturday, Sunday'],
    [{ minute: '0', hour: '0', day: '1', month: '1,7' }, 'at 00:00 on day 1 of the month in January, July'],
    [{ minute: '0', hour: '0', week: '10' }, 'at 00:00 in ISO week 10'],
    [{ minute: '*/10', hour: '9-17' }, 'every 10 minutes during hours 9-17'],
    [{ minute: '5', hour: '9-17' }, 'at minute 5 of hours 9-17'],
    [{ second: '1-3', minute: '2', hour: '*' }, 'at second 1-3, minute 2, hour *'],
  ];
  for (const [fields, words] of cases) t.equal(scheduleInWords({ ...every, ...fields }), words, words);
});

t.test('the raw fields are listed by name, second first', async (t) => {
  t.equal(rawSchedule({ ...every, minute: '*/5' }), 'sec 0 · min */5 · hour * · day * · month * · dow * · week *');
});

t.test('a crontab job shows its line; macros read as words', async (t) => {
  const stars: Schedule = { ...every, second: '*', minute: '*', cron: '*/5 9-17 * * mon-fri' };
  t.equal(scheduleInWords(stars), 'by its crontab line', 'not the "*" fields it shows for APScheduler');
  t.equal(rawSchedule(stars), 'cron */5 9-17 * * mon-fri');
  t.equal(scheduleInWords({ ...stars, cron: '@daily' }), 'at 00:00');
  t.equal(scheduleInWords({ ...stars, cron: '@HOURLY' }), 'every hour at minute 0');
  t.equal(scheduleInWords({ ...every, minute: '*/5', cron: null }), 'every 5 minutes', 'null: the fields');
});

// A schedule whose fields never match together (week 1 is never in February to November) is refused when
// it is given, with a reason, after a bounded search; one that was stored before is known not to fire, and
// asked again, answers at once without searching the calendar again.
import t from 'tap';
import { CronTrigger } from '../../src/cron/cron-trigger.js';
import { normalizeSchedule, SCHEDULE_HORIZON_YEARS } from '../../src/job-definition.js';
import { ValidationError } from '../../src/validation-error.js';

const NEVER = { week: '1', month: '2-11' };

t.test('a schedule that never fires is refused, saying why', async (t) => {
  t.throws(() => normalizeSchedule(NEVER, 'America/New_York'), ValidationError);
  t.throws(() => normalizeSchedule({ month: '2', day: '31' }, 'UTC'), {
    field: 'schedule',
    message: /never match together, so the job would never run \(no fire time in the next 8 years\)/,
  });
  t.equal(SCHEDULE_HORIZON_YEARS, 8);
});

t.test('a leap day is taken; a leap day on one weekday (every 28 years) is not', async (t) => {
  const from = Date.UTC(2026, 11, 2);
  t.doesNotThrow(() => normalizeSchedule({ month: '2', day: '29' }, 'UTC', from));
  t.throws(() => normalizeSchedule({ month: '2', day: '29', day_of_week: 'mon' }, 'UTC', from), ValidationError);
});

t.test('a stored schedule that never fires is known not to, from then on', async (t) => {
  const trigger = new CronTrigger(NEVER, 'UTC');
  const from = Date.UTC(2026, 0, 1);
  t.equal(trigger.nextFireTime(from), null, 'none in the whole calendar cycle');
  t.equal(trigger.nextFireTime(from + 5000), null, 'nor later');
  t.equal(trigger.nextFireTime(from, 1), null, 'a bounded search says the same');
  t.equal(new CronTrigger({ week: '1' }, 'UTC').nextFireTime(from, 1), Date.UTC(2026, 0, 1), 'and one that fires does');
});

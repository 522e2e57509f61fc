import t from 'tap';
import { formatTime, parseTime } from '../src/time-format.js';

t.test('formatTime prints isoformat() with microseconds and offset', async (t) => {
  t.equal(formatTime(Date.parse('2015-12-21T18:20:05.604Z')), '2015-12-21T18:20:05.604000+00:00');
  t.equal(formatTime(Date.parse('2026-07-01T10:00:00Z'), 'Europe/Berlin'), '2026-07-01T12:00:00.000000+02:00');
  t.equal(formatTime(Date.parse('2026-01-01T10:00:00Z'), 'America/New_York'), '2026-01-01T05:00:00.000000-05:00');
});

t.test("parseTime reads the seed's times and rejects the rest", async (t) => {
  t.equal(parseTime('2015-12-19T00:31:50.313Z'), Date.parse('2015-12-19T00:31:50.313Z'));
  t.equal(parseTime('2015-12-21T18:20:05.604708+00:00'), Date.parse('2015-12-21T18:20:05.604Z'));
  t.equal(parseTime('2015-12-19T00:31:50'), Date.parse('2015-12-19T00:31:50Z'), 'no offset means UTC');
  t.equal(parseTime('2015-12-19'), Date.parse('2015-12-19T00:00:00Z'));
  for (const bad of ['yesterday', '', '2015-13-45T99:00:00Z', '12/19/2015', '2015-12-19T00:31:50.313Zjunk']) {
    t.equal(parseTime(bad), null, JSON.stringify(bad));
  }
});

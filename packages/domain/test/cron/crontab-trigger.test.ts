import { CronExpressionParser } from 'cron-parser';
import t from 'tap';
import { CrontabTrigger } from '../../src/cron/crontab-trigger.js';

const iso = (ms: number) => new Date(ms).toISOString();
const fires = (line: string, zone: string, from: string, count: number) =>
  new CrontabTrigger(line, zone).nextFireTimes(Date.parse(from), count).map(iso);

/** cron-parser's own answers for a line, each from the one before (as it iterates). */
function cronParserFires(line: string, zone: string, from: string, count: number): string[] {
  // nextFireTimes includes a fire at `from` itself; cron-parser answers strictly after its currentDate.
  const expression = CronExpressionParser.parse(line, { currentDate: new Date(Date.parse(from) - 1), tz: zone });
  return expression.take(count).map((date) => iso(date.getTime()));
}

const LINES = [
  '*/5 * * * *',
  '0 9 * * mon-fri',
  '0 9 * * MON-FRI',
  '30 2 1 jan,jul *',
  '0 6 * JAN-MAR SAT',
  '0 0 13 * 5', // day of month OR day of week
  '0 0 1-7 * 1',
  '0 12 * * 0',
  '0 12 * * 7',
  '0 12 * * sun',
  '0 */3 * * *',
  '5,35 8-17 * 2-11 *',
  '59 23 31 12 *',
  '0 0 29 2 *',
  '0 0 L * *',
  '0 0 * * 5L',
  '0 0 * * 1#2',
  '*/10 * * * * *',
  '30 15 10 * * *',
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@hourly',
];

t.test("fire times are cron-parser's own, in zones with and without daylight saving", async (t) => {
  let compared = 0;
  for (const zone of ['UTC', 'Asia/Tokyo', 'Asia/Kolkata', 'Europe/Berlin', 'America/New_York']) {
    // Starts in winter and in summer; 20 fires each, which for the sparse lines crosses years and DST
    // changes (none of these lines names a wall time that a change skips or repeats).
    for (const from of ['2026-01-10T10:17:23.400Z', '2026-07-01T00:00:00.000Z']) {
      for (const line of LINES) {
        t.same(fires(line, zone, from, 20), cronParserFires(line, zone, from, 20), `${line} in ${zone} from ${from}`);
        compared++;
      }
    }
  }
  t.equal(compared, 5 * 2 * LINES.length);
});

t.test('@midnight is @daily (cron-parser lacks it)', async (t) => {
  t.same(
    fires('@midnight', 'Europe/Berlin', '2026-05-01T00:00:00Z', 5),
    fires('@daily', 'Europe/Berlin', '2026-05-01T00:00:00Z', 5),
  );
  t.same(fires('@midnight', 'UTC', '2026-05-01T00:00:00Z', 2), [
    '2026-05-01T00:00:00.000Z',
    '2026-05-02T00:00:00.000Z',
  ]);
});

t.test('Sunday is 0, 7 or sun', async (t) => {
  const sundays = ['2026-01-04T12:00:00.000Z', '2026-01-11T12:00:00.000Z', '2026-01-18T12:00:00.000Z'];
  for (const line of ['0 12 * * 0', '0 12 * * 7', '0 12 * * sun', '0 12 * * SUN']) {
    t.same(fires(line, 'UTC', '2026-01-01T00:00:00Z', 3), sundays, line);
  }
});

t.test('day of month OR day of week when both are restricted, as in Vixie cron', async (t) => {
  // 13th of the month, and every Friday (2026-01-02 is a Friday).
  t.same(fires('0 0 13 * 5', 'UTC', '2026-01-01T00:00:00Z', 5), [
    '2026-01-02T00:00:00.000Z',
    '2026-01-09T00:00:00.000Z',
    '2026-01-13T00:00:00.000Z',
    '2026-01-16T00:00:00.000Z',
    '2026-01-23T00:00:00.000Z',
  ]);
  // Either alone restricted: that one decides.
  t.same(fires('0 0 13 * *', 'UTC', '2026-01-01T00:00:00Z', 2), [
    '2026-01-13T00:00:00.000Z',
    '2026-02-13T00:00:00.000Z',
  ]);
});

t.test('6 fields: seconds first; a fire at `from` itself counts, rounded up to the second', async (t) => {
  t.same(fires('* * * * * *', 'UTC', '2026-01-01T00:00:00.000Z', 3), [
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:01.000Z',
    '2026-01-01T00:00:02.000Z',
  ]);
  t.same(fires('* * * * * *', 'UTC', '2026-01-01T00:00:00.001Z', 1), ['2026-01-01T00:00:01.000Z']);
  t.same(fires('15 * * * * *', 'UTC', '2026-01-01T00:00:00Z', 2), [
    '2026-01-01T00:00:15.000Z',
    '2026-01-01T00:01:15.000Z',
  ]);
});

t.test('a bad line is a CrontabError saying what is wrong', async (t) => {
  const refused: Array<[string, RegExp]> = [
    ['61 * * * *', /cron: "61 \* \* \* \*": .*61/],
    ['* * * *', /has 4 fields; a crontab line has 5/],
    ['* * * * * * *', /has 7 fields/],
    ['', /has 0 fields/],
    ['@midnite', /unknown macro "@midnite" \(known: @yearly, /],
    ['H * * * *', /H \(a random value\) is not supported/],
    ['0 0 * * funday', /cron: "0 0 \* \* funday": /],
    [
      '0 0 30 2 *',
      /^cron: "0 0 30 2 \*" never matches, so the job would never run \(none of its months has that day\)$/,
    ],
  ];
  for (const [line, message] of refused) {
    t.throws(() => new CrontabTrigger(line, 'UTC'), { name: 'CrontabError', message }, line);
  }
  t.equal(new CrontabTrigger('  0  9 * *   thu ', 'UTC').line, '0 9 * * thu', 'names with an h are names');
});

// America/New_York: 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.
const NY = 'America/New_York';

t.test('spring forward: a wall time in the gap fires once, read in the offset before the gap', async (t) => {
  // 02:30 does not exist on 2026-03-08: 02:30 EST is 03:30 EDT (07:30Z), as APScheduler and cron-parser do.
  t.same(fires('30 2 * * *', NY, '2026-03-07T12:00:00Z', 3), [
    '2026-03-08T07:30:00.000Z',
    '2026-03-09T06:30:00.000Z',
    '2026-03-10T06:30:00.000Z',
  ]);
  const trigger = new CrontabTrigger('30 2 * * *', NY);
  t.equal(iso(trigger.nextFireTime(Date.parse('2026-03-08T07:10:00Z')) as number), '2026-03-08T07:30:00.000Z');
  t.equal(iso(trigger.nextFireTime(Date.parse('2026-03-08T07:30:00.001Z')) as number), '2026-03-09T06:30:00.000Z');
  // Every 30 minutes keeps going, every real half hour, none twice.
  t.same(fires('*/30 * * * *', NY, '2026-03-08T06:00:00Z', 4), [
    '2026-03-08T06:00:00.000Z',
    '2026-03-08T06:30:00.000Z',
    '2026-03-08T07:00:00.000Z',
    '2026-03-08T07:30:00.000Z',
  ]);
  // Europe/Berlin, 2026-03-29 02:00 CET → 03:00 CEST: the same answer as the APScheduler engine's.
  t.same(fires('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2), [
    '2026-03-29T01:30:00.000Z',
    '2026-03-30T00:30:00.000Z',
  ]);
});

t.test('fall back: a line naming its hours fires once, at the first occurrence', async (t) => {
  // 01:30 happens twice on 2026-11-01 (05:30Z EDT, 06:30Z EST): fired once, at 01:30 EDT.
  t.same(fires('30 1 * * *', NY, '2026-10-31T12:00:00Z', 3), [
    '2026-11-01T05:30:00.000Z',
    '2026-11-02T06:30:00.000Z',
    '2026-11-03T06:30:00.000Z',
  ]);
  const trigger = new CrontabTrigger('30 1 * * *', NY);
  // Asked afresh from after the first fire, or from inside the repeated hour: the next day, never 06:30Z.
  for (const from of ['2026-11-01T05:30:00.001Z', '2026-11-01T06:10:00Z', '2026-11-01T06:30:00Z']) {
    t.equal(iso(trigger.nextFireTime(Date.parse(from)) as number), '2026-11-02T06:30:00.000Z', `from ${from}`);
  }
  t.same(fires('*/20 1 * * *', NY, '2026-11-01T04:00:00Z', 4), [
    '2026-11-01T05:00:00.000Z',
    '2026-11-01T05:20:00.000Z',
    '2026-11-01T05:40:00.000Z',
    '2026-11-02T06:00:00.000Z',
  ]);
  // Europe/Berlin, 2026-10-25 03:00 CEST → 02:00 CET: 02:30 once, at 02:30 CEST.
  t.same(fires('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2), [
    '2026-10-25T00:30:00.000Z',
    '2026-10-26T01:30:00.000Z',
  ]);
});

t.test('fall back: a line with hour `*` fires in both real hours, every interval once', async (t) => {
  t.same(fires('0 * * * *', NY, '2026-11-01T04:00:00Z', 4), [
    '2026-11-01T04:00:00.000Z',
    '2026-11-01T05:00:00.000Z',
    '2026-11-01T06:00:00.000Z',
    '2026-11-01T07:00:00.000Z',
  ]);
  t.same(fires('*/30 * * * *', NY, '2026-11-01T05:10:00Z', 4), [
    '2026-11-01T05:30:00.000Z',
    '2026-11-01T06:00:00.000Z',
    '2026-11-01T06:30:00.000Z',
    '2026-11-01T07:00:00.000Z',
  ]);
});

t.test('asked afresh from any moment, the answer is the next fire of the chain (DST days included)', async (t) => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (const [line, zone, start] of [
    ['30 1 * * *', NY, '2026-10-30T00:00:00Z'],
    ['*/20 * * * *', NY, '2026-10-31T20:00:00Z'],
    ['30 2 * * *', NY, '2026-03-06T00:00:00Z'],
    ['*/7 1-3 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z'],
    ['*/7 1-3 * * *', 'Europe/Berlin', '2026-10-24T00:00:00Z'],
    ['0 * * * *', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
    ['*/7 * * * * *', NY, '2026-11-01T05:50:00Z'],
    ['* * * * *', NY, '2026-03-08T06:30:00Z'],
    ['* 1 * * *', NY, '2026-11-01T05:00:00Z'],
  ] as const) {
    const trigger = new CrontabTrigger(line, zone);
    const chain = trigger.nextFireTimes(Date.parse(start), 200);
    let increasing = true;
    for (let i = 1; i < chain.length; i++) if ((chain[i] as number) <= (chain[i - 1] as number)) increasing = false;
    t.ok(increasing, `${line} in ${zone}: each fire after the one before`);
    let mismatches = 0;
    const last = chain[chain.length - 1] as number;
    for (let i = 0; i < 300; i++) {
      const from = Date.parse(start) + Math.floor(random() * (last - Date.parse(start)));
      const expected = chain.find((at) => at >= Math.ceil(from / 1000) * 1000);
      if (new CrontabTrigger(line, zone).nextFireTime(from) !== expected) mismatches++;
    }
    t.equal(mismatches, 0, `${line} in ${zone}: fresh answers agree with the chain`);
  }
});

t.test('a kept trigger (its last search remembered) answers as a fresh one, polled as the API does', async (t) => {
  let seed = 11;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let mismatches = 0;
  for (const line of ['*/20 * * * *', '30 1 * * *', '30 2 * * 0', '0 0 1 * *']) {
    for (const start of ['2026-03-01T00:00:00Z', '2026-10-25T00:00:00Z'].map(Date.parse)) {
      const kept = new CrontabTrigger(line, NY);
      let from = start;
      for (let i = 0; i < 300; i++) {
        // Mostly forward in small steps (a job list polled every few seconds), sometimes a jump or onto a fire.
        from =
          i % 7 === 0
            ? (kept.nextFireTime(from + random() * 86_400_000 * 3) ?? from)
            : from + Math.floor(random() * (i % 3 === 0 ? 3 * 3_600_000 : 120_000));
        if (kept.nextFireTime(from) !== new CrontabTrigger(line, NY).nextFireTime(from)) mismatches++;
        if (kept.nextFireTime(from + 1) !== new CrontabTrigger(line, NY).nextFireTime(from + 1)) mismatches++;
      }
    }
  }
  t.equal(mismatches, 0);
});

t.test('every second through a fall-back and a spring-forward: each real second once', async (t) => {
  const trigger = new CrontabTrigger('* * * * * *', NY);
  for (const at of ['2026-11-01T05:59:00Z', '2026-03-08T06:59:00Z']) {
    const times = trigger.nextFireTimes(Date.parse(at), 120);
    t.same(
      times.map((time, i) => time - Date.parse(at) - i * 1000),
      new Array(120).fill(0),
      `from ${at}, two minutes across the change`,
    );
  }
});

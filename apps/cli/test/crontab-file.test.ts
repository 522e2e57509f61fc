// Reading a crontab as cron does (crontab(5), Vixie cron / cronie), and the ShellJobs it becomes.
import t from 'tap';
import { crontabJobs, parseCrontab } from '../src/crontab-file.js';

t.test('comments, blank lines, variables, macros, @reboot and a user crontab', async (t) => {
  const file = parseCrontab(
    [
      '# nightly things',
      '   ',
      'PATH=/usr/local/bin:/usr/bin:/bin',
      "MESSAGE = 'it''s'",
      '0 3 * * * backup.sh --full > /dev/null 2>&1 # not a comment',
      '\t@hourly   rotate-logs',
      '@reboot start-thing',
      'MESSAGE="later"',
      '0,30 9-17 * jan-mar mon-fri report',
    ].join('\n'),
    { system: false },
  );
  t.same(file.errors, []);
  t.same(file.skipped, [{ line: 7, reason: '@reboot: a fleet has no boot to run it at' }]);
  t.same(
    file.entries.map((e) => [e.line, e.schedule, e.user, e.command, e.environment.map(([k, v]) => `${k}=${v}`)]),
    [
      [
        5,
        '0 3 * * *',
        null,
        'backup.sh --full > /dev/null 2>&1 # not a comment',
        ['PATH=/usr/local/bin:/usr/bin:/bin', "MESSAGE=it''s"],
      ],
      [6, '@hourly', null, 'rotate-logs', ['PATH=/usr/local/bin:/usr/bin:/bin', "MESSAGE=it''s"]],
      [
        9,
        '0,30 9-17 * jan-mar mon-fri',
        null,
        'report',
        ['PATH=/usr/local/bin:/usr/bin:/bin', "MESSAGE=it''s", 'MESSAGE=later'],
      ],
    ],
    'each line gets the variables set above it; an inline # is part of the command',
  );
});

t.test('the system format has a user column', async (t) => {
  const file = parseCrontab('17 *  * * *  root  cd / && run-parts --report /etc/cron.hourly\n* * * * * nobody', {
    system: true,
  });
  t.same(
    file.entries.map((e) => [e.user, e.command]),
    [['root', 'cd / && run-parts --report /etc/cron.hourly']],
  );
  t.same(file.errors, [{ line: 2, reason: 'expected five time fields, a user and a command' }]);
});

t.test('% ends the command and feeds the rest as input; \\% is a percent sign', async (t) => {
  const [entry] = parseCrontab('0 0 * * * date +\\%F; mail -s report ops%line one%line \\%two', {
    system: false,
  }).entries;
  t.equal(entry?.command, 'date +%F; mail -s report ops');
  t.equal(entry?.stdin, 'line one\nline %two');
});

t.test('lines cron would refuse are named, each with its reason', async (t) => {
  const file = parseCrontab(
    ['* * * *', '0 0 31 2 * never', '*/0 * * * * zero', '@sometimes x', '0 0 * * * %only input'].join('\n'),
    {
      system: false,
    },
  );
  t.same(
    file.errors.map((e) => e.line),
    [1, 2, 3, 4, 5],
  );
  t.match(file.errors[0]?.reason, 'expected five time fields and a command');
  t.match(file.errors[1]?.reason, /never matches/);
  t.match(file.errors[4]?.reason, 'no command before the first %');
});

t.test('the jobs: a ShellJob per line, named after its command, with its shell, variables and zone', async (t) => {
  const file = parseCrontab(
    [
      'SHELL=/bin/bash',
      'CRON_TZ=America/New_York',
      "A=it's",
      '5 4 * * * echo "$A"',
      '5 4 * * * echo "$A"',
      '@daily cat%x%y',
    ].join('\n'),
    { system: false },
  );
  const jobs = crontabJobs(file, { timezone: 'UTC', source: 'crontab' });
  t.same(
    jobs.map((job) => [job.name, job.cron, job.timezone]),
    [
      ['echo "$A"', '5 4 * * *', 'America/New_York'],
      ['echo "$A" (2)', '5 4 * * *', 'America/New_York'],
      ['cat', '@daily', 'America/New_York'],
    ],
  );
  t.same(jobs[0]?.pub_args, [
    '/bin/bash',
    '-c',
    "export SHELL='/bin/bash'\nexport CRON_TZ='America/New_York'\nexport A='it'\\''s'\necho \"$A\"",
  ]);
  t.match(jobs[2]?.pub_args?.[2], /printf %s 'x\ny' \| \(cat\n\)$/);
  t.same(
    crontabJobs(parseCrontab('0 0 * * * a', { system: false }), { timezone: 'Asia/Tokyo', source: 'f' })[0]?.timezone,
    'Asia/Tokyo',
    'without CRON_TZ: the zone given',
  );
  const long = crontabJobs(parseCrontab(`0 0 * * * ${'x'.repeat(300)}`, { system: false }), {
    timezone: 'UTC',
    source: 'f',
  });
  t.equal(long[0]?.name.length, 120, 'a long command is cut for the name');
});

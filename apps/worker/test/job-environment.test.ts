// What a job can see of the worker: a ShellJob printing its environment must not show the worker's
// connection strings or the API's secrets, only the allow-list and what JOB_ENV_PASSTHROUGH names.
import { spawnWorker, testEnvironment } from '@tickwork/testing';
import { runShellJob, startApi } from '@tickwork/testkit';
import t from 'tap';
import { jobEnvironment } from '../src/sandbox/job-environment.js';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

t.test('a job sees the allow-list and JOB_ENV_PASSTHROUGH, none of the worker’s secrets', async (t) => {
  await spawnWorker(t, environment, {
    SESSION_SECRET: 's'.repeat(40),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Very$ecret-admin',
    JOB_ENV_PASSTHROUGH: 'TW_PASSED_ON',
    TW_PASSED_ON: 'given to jobs',
    TW_NOT_NAMED: 'kept from jobs',
    LC_TIME: 'C.UTF-8',
  });
  const run = await runShellJob(api, ['/usr/bin/env']);
  t.equal(run.state, 'succeeded', run.output);
  const names = (run.output as string)
    .split('\n')
    .map((line) => line.split('=')[0])
    .filter(Boolean);
  for (const secret of [
    'MONGODB_URL',
    'REDIS_URL',
    'QUEUE_PREFIX',
    'SESSION_SECRET',
    'ADMIN_USERNAME',
    'ADMIN_PASSWORD',
    'TW_NOT_NAMED',
  ]) {
    t.notOk(names.includes(secret), `${secret} is not shown`);
  }
  t.notMatch(run.output, environment.env.MONGODB_URL as string, 'nor is the MongoDB URL anywhere in it');
  t.match(run.output, /^TW_PASSED_ON=given to jobs$/m, 'a variable named in JOB_ENV_PASSTHROUGH is');
  t.match(run.output, /^PATH=/m, 'PATH is kept');
  t.match(run.output, /^LC_TIME=C\.UTF-8$/m, 'so are the locale settings');
});

// NODE_OPTIONS cannot be checked end to end here: tap's process tracking puts its own into every process
// the test's processes start.
t.test('the allow-list itself: Node and Tickwork settings stay with the worker', async (t) => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/root',
    USER: 'root',
    LC_ALL: 'C',
    NODE_OPTIONS: '--require=/tmp/x.js',
    QUEUE_PREFIX: 'tickwork',
    NOTIFY_SLACK_URL: 'https://hooks.slack.com/x',
    MY_TOKEN: 'abc',
  };
  t.same(jobEnvironment(env, ['MY_TOKEN']), {
    PATH: '/usr/bin',
    HOME: '/root',
    USER: 'root',
    LC_ALL: 'C',
    MY_TOKEN: 'abc',
  });
  t.same(
    jobEnvironment(env, [], { name: 'nobody', home: '/nonexistent', shell: '/usr/sbin/nologin' }),
    {
      PATH: '/usr/bin',
      HOME: '/nonexistent',
      USER: 'nobody',
      LOGNAME: 'nobody',
      SHELL: '/usr/sbin/nologin',
      LC_ALL: 'C',
    },
    'with JOB_RUN_AS, that user’s identity',
  );
});

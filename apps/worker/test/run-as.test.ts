// JOB_RUN_AS: a worker running as root runs its jobs as another user, so a job can read neither the
// worker's files nor its /proc/<pid>/environ. Switching users needs root: this test does (CI runs as
// root, like the multi-host fault test), and fails saying so anywhere else rather than being skipped.
import { execFileSync } from 'node:child_process';
import { runWorkerToExit, spawnWorker, testEnvironment } from '@tickwork/testing';
import { runShellJob, startApi } from '@tickwork/testkit';
import t from 'tap';

if (process.getuid?.() !== 0) {
  t.fail(`JOB_RUN_AS can only be tested as root (CI runs as root); this runs as uid ${process.getuid?.()}`);
} else {
  const environment = testEnvironment(t);
  const api = await startApi(t, environment);
  const nobody = {
    uid: execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim(),
    home: execFileSync('getent', ['passwd', 'nobody'], { encoding: 'utf8' }).split(':')[5],
  };

  t.test('jobs run as nobody and cannot read the worker’s environment', async (t) => {
    const worker = await spawnWorker(t, environment, { JOB_RUN_AS: 'nobody', SESSION_SECRET: 's'.repeat(40) });
    t.ok(
      worker.output.some((l) => l.includes('jobs run as nobody (JOB_RUN_AS)')),
      'the worker says so',
    );

    const id = await runShellJob(api, ['id', '-u']);
    t.equal(id.output.trim(), nobody.uid, '`id -u` prints nobody’s uid');

    const who = await runShellJob(api, ['/bin/sh', '-c', 'echo "$HOME $USER $LOGNAME"']);
    t.equal(who.output.trim(), `${nobody.home} nobody nobody`, 'with nobody’s HOME, USER and LOGNAME');

    const environ = await runShellJob(api, ['cat', `/proc/${worker.pid}/environ`]);
    t.same(JSON.parse(environ.result), { returncode: 1 }, 'cat fails');
    t.match(environ.output, /Permission denied/);
    t.notMatch(environ.output, 'SESSION_SECRET');
  });

  t.test('an unknown user, or a worker that is not root, is a configuration error at start', async (t) => {
    const unknown = await runWorkerToExit(t, environment, { JOB_RUN_AS: 'no-such-user-here' });
    t.equal(unknown.code, 2);
    t.match(unknown.output.join('\n'), 'configuration error: JOB_RUN_AS: no user named "no-such-user-here"');

    const asNobody = await runWorkerToExit(t, environment, { JOB_RUN_AS: 'nobody' }, (argv) => [
      'setpriv',
      `--reuid=${nobody.uid}`,
      '--regid=nogroup',
      '--clear-groups',
      ...argv,
    ]);
    t.equal(asNobody.code, 2);
    t.match(
      asNobody.output.join('\n'),
      `configuration error: JOB_RUN_AS: only a worker running as root can run jobs as another user; this one runs as uid ${nobody.uid}`,
    );
  });
}

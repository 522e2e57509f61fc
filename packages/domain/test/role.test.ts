import t from 'tap';
import { classRoleRefusal } from '../src/role.js';

t.test('a job runs only if its author had the role its class needs', async (t) => {
  const shell = 'simple_scheduler.jobs.shell_job.ShellJob';
  t.equal(classRoleRefusal(shell, 'admin', 'admin'), null);
  t.equal(classRoleRefusal(shell, 'editor', 'editor'), null);
  t.equal(classRoleRefusal(shell, 'editor', 'admin'), null);
  t.equal(classRoleRefusal(shell, 'admin', undefined), null, 'a job of before roles, or of open mode, is an admin’s');
  t.match(
    classRoleRefusal(shell, 'admin', 'editor'),
    /^Job class simple_scheduler\.jobs\.shell_job\.ShellJob needs the admin role/,
  );
  t.match(classRoleRefusal(shell, 'admin', 'viewer'), /needs the admin role/);
});

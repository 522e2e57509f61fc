import t from 'tap';
import { ExecutionState } from '../src/execution-state.js';
import { failureNotice, slackMessage } from '../src/failure-notice.js';

const source = {
  execution_id: 'e1',
  state: ExecutionState.failed,
  description: 'boom',
  hostname: 'host-a',
  pid: 42,
  scheduled_time: new Date('2026-11-27T10:00:00Z'),
  job: { job_id: 'j1', name: 'Nightly <report>', job_class_string: 'reports.Report' },
};

t.test('a webhook gets the run, the job and why, as JSON fields', async (t) => {
  t.same(failureNotice(source), {
    event: 'execution.ended',
    execution_id: 'e1',
    state: 'failed',
    description: 'boom',
    hostname: 'host-a',
    pid: 42,
    scheduled_time: '2026-11-27T10:00:00.000Z',
    job_id: 'j1',
    job_name: 'Nightly <report>',
    job_class_string: 'reports.Report',
  });
});

t.test('Slack gets one line saying the same', async (t) => {
  t.same(slackMessage(failureNotice(source)), {
    text: 'Tickwork: job "Nightly <report>" (reports.Report) ended failed on host-a (pid 42), fire of 2026-11-27T10:00:00.000Z, execution e1: boom',
  });
  const skipped = failureNotice({ ...source, state: ExecutionState.scheduledError, hostname: '', description: '' });
  t.equal(
    slackMessage(skipped).text,
    'Tickwork: job "Nightly <report>" (reports.Report) ended scheduled error, fire of 2026-11-27T10:00:00.000Z, execution e1',
  );
});

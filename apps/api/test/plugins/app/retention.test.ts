// Retention: executions that came due on days past EXECUTION_RETENTION_DAYS and audit entries past
// AUDIT_RETENTION_DAYS are deleted, a whole day at a time; newer ones are kept.
import { bucketOf, dayOf, ExecutionState, jobSummary, newId, recordedEntry } from '@tickwork/domain';
import { testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t, { EXECUTION_RETENTION_DAYS: '30', AUDIT_RETENTION_DAYS: '365' });
const api = await startApi(t, environment);
const DAY = 24 * 3600 * 1000;

t.test('a pass deletes what is past retention, and only that', async (t) => {
  const { job_id } = (await api.request('POST', '/api/v1/jobs', { name: 'kept', job_class_string: 'a.B', hour: '0' }))
    .body;
  const stored = await api.app.store.jobs.get(job_id);
  if (!stored) throw new Error('job not stored');
  const job = jobSummary(stored);
  const ages: Array<[string, number]> = [
    ['old', 32],
    ['older', 400],
    ['recent', 29],
  ];
  const ids = new Map<string, string>();
  for (const [name, days] of ages) {
    const id = newId();
    ids.set(name, id);
    const due = Date.now() - days * DAY;
    await api.app.store.ledger.append(
      recordedEntry(
        { execution_id: id, job, scheduled_time: due, state: ExecutionState.scheduledError, description: name },
        due,
        newId(),
      ),
    );
  }
  const audit = api.app.store.connection.collection('audit_logs');
  const entry = (id: string, ms: number) => ({
    _id: id as never,
    job_id,
    job_name: 'kept',
    event: 'added',
    user: 'x',
    description: '',
    created_time: new Date(ms),
    bucket: bucketOf(ms),
    day: dayOf(ms),
  });
  await audit.insertMany([entry('a-old', Date.now() - 367 * DAY), entry('a-new', Date.now() - 364 * DAY)]);

  const report = await api.app.enforceRetention();
  t.same(report, { executions: 2, audit_logs: 1 }, 'two old executions and one old audit entry');
  for (const [name, id] of ids) {
    const kept = (await api.app.ledger.get(id)) !== null;
    t.equal(kept, name === 'recent', `${name} kept: ${kept}`);
  }
  t.equal(await audit.countDocuments({ _id: 'a-old' as never }), 0, 'the audit entry past a year is gone');
  t.equal(await audit.countDocuments({ _id: 'a-new' as never }), 1, 'the one within a year is kept');
  t.same(await api.app.enforceRetention(), { executions: 0, audit_logs: 0 }, 'a second pass finds nothing left');
});

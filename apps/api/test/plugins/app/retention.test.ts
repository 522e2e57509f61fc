// Retention: finished executions past EXECUTION_RETENTION_DAYS and audit entries past AUDIT_RETENTION_DAYS
// are deleted; newer ones, and runs still running or waiting however old, are kept.
import { ExecutionState, newId } from '@tickwork/domain';
import { startApi, testEnvironment } from '@tickwork/testing';
import t from 'tap';

const environment = testEnvironment(t, { EXECUTION_RETENTION_DAYS: '30', AUDIT_RETENTION_DAYS: '365' });
const api = await startApi(t, environment);
const DAY = 24 * 3600 * 1000;

t.test('a pass deletes what is past retention, and only that', async (t) => {
  const { job_id } = (await api.request('POST', '/api/v1/jobs', { name: 'kept', job_class_string: 'a.B', hour: '0' }))
    .body;
  const job = await api.app.store.jobs.get(job_id);
  if (!job) throw new Error('job not stored');
  const ages: Array<[string, ExecutionState, number]> = [
    ['old-succeeded', ExecutionState.succeeded, 31],
    ['old-failed', ExecutionState.failed, 400],
    ['old-running', ExecutionState.running, 31],
    ['old-scheduled', ExecutionState.scheduled, 31],
    ['recent-succeeded', ExecutionState.succeeded, 29],
  ];
  const ids = new Map<string, string>();
  for (const [name, state, days] of ages) {
    const id = newId();
    ids.set(name, id);
    await api.app.store.executions.insertOnce({
      execution_id: id,
      job,
      fire_key: `manual@${id}`,
      scheduled_time: new Date(Date.now() - days * DAY),
      state,
    });
    await api.app.store.connection
      .collection('executions')
      .updateOne({ _id: id as never }, { $set: { updated_time: new Date(Date.now() - days * DAY) } });
  }
  const audit = api.app.store.connection.collection('audit_logs');
  await audit.insertMany([
    {
      _id: 'a-old' as never,
      job_id,
      job_name: 'kept',
      event: 'added',
      user: 'x',
      description: '',
      created_time: new Date(Date.now() - 366 * DAY),
    },
    {
      _id: 'a-new' as never,
      job_id,
      job_name: 'kept',
      event: 'added',
      user: 'x',
      description: '',
      created_time: new Date(Date.now() - 364 * DAY),
    },
  ]);

  const report = await api.app.enforceRetention();
  t.same(report, { executions: 2, audit_logs: 1 }, 'two old finished executions and one old audit entry');
  for (const [name, id] of ids) {
    const kept = (await api.app.store.executions.get(id)) !== null;
    t.equal(
      kept,
      !name.startsWith('old-') || name === 'old-running' || name === 'old-scheduled',
      `${name} kept: ${kept}`,
    );
  }
  t.equal(await audit.countDocuments({ _id: 'a-old' as never }), 0, 'the audit entry past a year is gone');
  t.equal(await audit.countDocuments({ _id: 'a-new' as never }), 1, 'the one within a year is kept');
  t.same(await api.app.enforceRetention(), { executions: 0, audit_logs: 0 }, 'a second pass finds nothing left');
});

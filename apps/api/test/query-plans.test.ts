// Every query the product sends the store, served from an index: the API and a worker go through jobs,
// runs, stops, lost workers, retention, the reaper, users and tokens while every command they send is
// recorded; then each command's filter is explained by FerretDB on PostgreSQL with sequential scans
// priced out (enable_seqscan = off), so a sequential scan in a plan means no index can serve it. A filter
// with an equality (the only thing FerretDB hands its backend) must never scan; the few shapes with none —
// those that read a whole collection by design — are listed below, each with its reason.
import { jobSummary, newJobDefinition, type Outcome, ExecutionState as S } from '@tickwork/domain';
import { openFleet } from '@tickwork/ledger';
import { withPostgres } from '@tickwork/local-services';
import { recordedRunIdFor } from '@tickwork/queue';
import { PrivateMongo, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import type { Document } from 'mongodb';
import t from 'tap';

/** Shapes that read every document of their collection, on purpose. */
const WHOLE_COLLECTION: Record<string, string> = {
  'jobs {}': 'the job catalog loads every job; GET /api/v1/jobs without a catalog lists them all',
  'jobs {paused}': 'the reconciler mirrors every active job: nearly all of them',
  'jobs {$or}': 'a page of every job, while the catalog cannot answer (keyset on created_time)',
  'users {}': 'whether any user exists (a count, cached a second)',
  'api_tokens {}': 'the token list an admin asks for',
  'execution_ledger {day:$exists}': 'retention finds its first day once per store, then keeps count',
  'audit_logs {day:$exists}': 'retention finds its first day once per store, then keeps count',
};

const postgresqlUrl = process.env.TICKWORK_TEST_POSTGRESQL_URL ?? '';
if (!postgresqlUrl) t.plan(0, 'the suite runs on a MongoDB-wire server that does not store in PostgreSQL');

/** A filter's shape: its keys, with the operators of those that are not plain equalities. */
function shape(collection: string, filter: Document): string {
  const keys = Object.entries(filter)
    .map(([key, value]) => {
      const operators =
        value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
          ? Object.keys(value).filter((k) => k.startsWith('$'))
          : [];
      return operators.length ? `${key}:${operators.join(',')}` : key;
    })
    .sort();
  return `${collection} {${keys.join(',')}}`;
}

/** Whether FerretDB can hand some of it to PostgreSQL: a top-level equality on a field. */
function hasEquality(filter: Document): boolean {
  return Object.entries(filter).some(
    ([key, value]) =>
      !key.startsWith('$') &&
      !(
        value !== null &&
        typeof value === 'object' &&
        !(value instanceof Date) &&
        !Array.isArray(value) &&
        Object.keys(value).some((k) => k.startsWith('$'))
      ),
  );
}

/** The (collection, filter) pairs a command reads by. */
function filtersOf(command: Document): Array<[string, Document]> {
  if (command.find) return [[command.find, command.filter ?? {}]];
  if (command.count) return [[command.count, command.query ?? {}]];
  if (command.aggregate) return [[command.aggregate, command.pipeline?.[0]?.$match ?? {}]];
  if (command.findAndModify) return [[command.findAndModify, command.query ?? {}]];
  if (command.delete) return (command.deletes as Document[]).map((d) => [command.delete, d.q ?? {}]);
  if (command.update) return (command.updates as Document[]).map((u) => [command.update, u.q ?? {}]);
  return [];
}

function nodes(plan: Document): Document[] {
  return [plan, ...((plan.Plans as Document[] | undefined) ?? []).flatMap(nodes)];
}

if (postgresqlUrl)
  t.test('every query shape the repositories send is served from an index', async (t) => {
    const mongo = await PrivateMongo.start(t);
    const url = mongo.postgresqlUrl as string;
    const database = new URL(url).pathname.slice(1);
    await withPostgres(url, (client) =>
      client.query(`ALTER DATABASE ${client.escapeIdentifier(database)} SET enable_seqscan = off`),
    );
    // FerretDB's connections from now on are planned without sequential scans, where an index can serve.
    await mongo.stop();
    await mongo.start();

    const environment = testEnvironment(t, { MONGODB_URL: mongo.url('plans'), EXECUTION_WINDOW_HOURS: '0' });
    const api = await startApi(t, environment);
    const giveUp = new AbortController();
    const worker = await openFleet(
      environment.config,
      { kind: 'worker', holder: 'plans-worker', hostname: 'h', pid: 1, giveUp: giveUp.signal },
      api.app.log,
    );
    t.teardown(async () => {
      giveUp.abort();
      await worker.close();
    });
    const commands: Document[] = [];
    for (const client of [api.app.store.connection.getClient(), worker.store.connection.getClient()]) {
      client.on('commandStarted', (e) => commands.push(e.command));
    }

    // Jobs, through the API.
    const created = await api.request('POST', '/api/v1/jobs', {
      name: 'plans',
      job_class_string: 'a.B',
      hour: '1',
      retries: 1,
    });
    const jobId = created.body.job_id as string;
    // A job waiting for it (after): the jobs waiting for one are looked up by after_job_id.
    await api.request('POST', '/api/v1/jobs', {
      name: 'plans chained',
      job_class_string: 'a.B',
      after: { job_id: jobId, on: 'failed' },
    });
    await api.request('GET', `/api/v1/jobs/${jobId}`);
    await api.request('GET', '/api/v1/jobs');
    await api.request('PUT', `/api/v1/jobs/${jobId}`, { name: 'plans 2' });
    await api.request('PATCH', `/api/v1/jobs/${jobId}`);
    await api.request('OPTIONS', `/api/v1/jobs/${jobId}`);
    await api.app.store.jobs.list(10);
    await api.app.store.jobs.count();
    await api.app.reconcileSchedulers();

    // Runs: a run-now claimed, retried and ended by the worker; a fire stopped; a fire whose worker is lost.
    const { execution_id: runNow } = (await api.request('POST', `/api/v1/executions/${jobId}`)).body;
    const queued = await api.app.runQueue.getJob(recordedRunIdFor(runNow, 1));
    const attempt = await worker.ledger.claim(queued?.data, 'task');
    if (!attempt) throw new Error('not claimed');
    const failed: Outcome = { state: S.failed, description: 'boom', result: '' };
    await worker.ledger.finish(attempt, failed, 'out');
    const job = jobSummary(newJobDefinition({ name: 'fired', job_class_string: 'a.B', minute: '*' }, 'UTC'));
    const toStop = await worker.ledger.recordFire(job, Date.now() - 1000, 't', null);
    const toLose = await worker.ledger.recordFire(job, Date.now() - 2000, 't', null);
    if (!('taken' in toStop) || !('taken' in toLose)) throw new Error('not taken');
    await api.request('DELETE', `/api/v1/executions/${toStop.taken.execution_id}`);
    await worker.ledger.finish(toStop.taken, { state: S.stopped, description: 'stopped on request', result: '' }, '');
    await worker.leases?.renew(worker.store.ledger);
    await api.app.ledger.closeOutLost(
      (await api.app.ledger.get(toLose.taken.execution_id)) ?? (undefined as never),
      'lost worker h pid 1',
    );
    await api.app.reapExpiredRuns();
    await api.app.requeueWaitingRuns();
    await api.app.catchUpChains();
    await api.request('GET', `/api/v1/executions/${runNow}`);
    await api.request('GET', `/api/v1/executions/${runNow}/output`);
    await api.request('GET', `/api/v1/executions?time_range_start=${new Date(Date.now() - 3_600_000).toISOString()}`);
    await api.request('GET', `/api/v1/logs?time_range_start=${new Date(Date.now() - 3_600_000).toISOString()}`);
    await worker.leases?.drop(worker.store.ledger);
    await api.app.enforceRetention();
    // What retention, the window and the catalog-less list send on a store with history.
    await api.app.store.ledger.deleteDay(1);
    await api.app.store.auditLogs.deleteDay(1);
    await api.app.executionHistory.entriesBetween(Date.now() - 86_400_000, Date.now(), true);
    await api.app.store.jobs.list(10, { time: new Date(), id: jobId });
    await api.request('DELETE', `/api/v1/jobs/${jobId}`);

    // Users and tokens, last: the first user turns authentication on.
    const users = api.app.store.users;
    await api.request('POST', '/api/v1/users', { username: 'ann', password: 'a-long-password', role: 'admin' });
    await users.get('ann');
    await users.count();
    await users.countWithRole('admin');
    await users.insert({ username: 'bob', role: 'editor', password_hash: 'x' });
    await users.setRole('bob', 'viewer');
    await users.setPassword('bob', 'y');
    await users.list();
    await users.delete('bob');
    await api.app.userService.authenticate('ann', 'a-long-password');
    await api.app.apiTokenService.create('ci', 'editor', 'ann');
    await api.app.apiTokenService.find('twk_not-a-token');
    await api.app.apiTokenService.list();
    await api.app.apiTokenService.createdBy('ann');
    await api.app.apiTokenService.revoke('ci');

    const seen = new Map<string, { filter: Document; collection: string }>();
    for (const command of commands) {
      for (const [collection, filter] of filtersOf(command))
        seen.set(shape(collection, filter), { collection, filter });
    }
    t.ok(seen.size > 15, `${seen.size} query shapes sent`);
    for (const expected of [
      'execution_ledger {execution_id}',
      'execution_ledger {bucket}',
      'execution_ledger {lease}',
      'execution_ledger {chain_bucket}',
      'jobs {after_job_id}',
    ]) {
      t.ok(seen.has(expected), `among them ${expected}`);
    }
    const db = api.app.store.connection.db;
    if (!db) throw new Error('no database');
    for (const [name, { collection, filter }] of [...seen].sort()) {
      if (!hasEquality(filter)) {
        t.ok(
          WHOLE_COLLECTION[name],
          `${name}: reads the whole collection, on purpose (${WHOLE_COLLECTION[name] ?? 'NOT LISTED'})`,
        );
        continue;
      }
      const explained = await db.command({ explain: { find: collection, filter } });
      const plan = nodes(explained.queryPlanner?.Plan ?? {});
      const scans = plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
      t.same(scans, [], `${name}: ${plan.map((n) => n['Index Name'] ?? n['Node Type']).join(' < ')}`);
    }
  });

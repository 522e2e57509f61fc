// Chains (a job's `after`): the cycle check, which ends run a chained job, its run's id, and what POST and
// PUT make of a job with `after` and no schedule.
import t from 'tap';
import { type ChainNode, chainExecutionId, chainTriggered, checkChain, MAX_CHAIN_DEPTH } from '../src/job-chain.js';
import {
  isUnscheduled,
  mergeJobChanges,
  newJobDefinition,
  triggerFor,
  UNSCHEDULED_JOB_FIELDS,
} from '../src/job-definition.js';
import { ValidationError } from '../src/validation-error.js';

/** A store of jobs to look up, counting the look-ups. */
function jobs(...nodes: ChainNode[]) {
  const byId = new Map(nodes.map((n) => [n.job_id, n]));
  const lookup = async (id: string) => {
    lookup.calls++;
    return byId.get(id) ?? null;
  };
  lookup.calls = 0;
  return lookup;
}

const refusal = (message: string | RegExp) => ({ name: 'ValidationError', field: 'after', message });

t.test('an upstream that exists and closes no cycle is taken', async (t) => {
  const lookup = jobs({ job_id: 'a', name: 'A' }, { job_id: 'b', name: 'B', after: { job_id: 'a', on: 'succeeded' } });
  t.same(await checkChain('c', { job_id: 'b', on: 'failed' }, lookup), {
    job_id: 'b',
    name: 'B',
    after: { job_id: 'a', on: 'succeeded' },
  });
  t.equal(lookup.calls, 2, 'one look-up per link above');
  t.ok(await checkChain(null, { job_id: 'a', on: 'finished' }, lookup), 'a new job');
});

t.test('unknown, itself, a cycle of two and of three', async (t) => {
  const lookup = jobs(
    { job_id: 'a', name: 'A', after: { job_id: 'c', on: 'succeeded' } },
    { job_id: 'b', name: 'B', after: { job_id: 'a', on: 'succeeded' } },
    { job_id: 'c', name: 'C' },
  );
  await t.rejects(checkChain('c', { job_id: 'zz', on: 'failed' }, lookup), refusal('after: unknown job "zz"'));
  await t.rejects(
    checkChain('c', { job_id: 'c', on: 'failed' }, lookup),
    refusal('after: a job cannot run after itself (c)'),
  );
  await t.rejects(
    checkChain('c', { job_id: 'a', on: 'failed' }, lookup),
    refusal('after: a cycle: "A" already runs after this job (this job → "A" → this job)'),
  );
  await t.rejects(
    checkChain('c', { job_id: 'b', on: 'failed' }, lookup),
    refusal('after: a cycle: "B" already runs after this job (this job → "A" → "B" → this job)'),
  );
  await t.rejects(checkChain('c', { job_id: 'b', on: 'failed' }, lookup), ValidationError);
});

t.test('a chain whose top job was deleted ends there; one too long is refused', async (t) => {
  const dangling = jobs({ job_id: 'b', name: 'B', after: { job_id: 'gone', on: 'succeeded' } });
  t.ok(await checkChain('c', { job_id: 'b', on: 'succeeded' }, dangling));
  const long: ChainNode[] = [{ job_id: 'j0', name: 'j0' }];
  for (let i = 1; i <= MAX_CHAIN_DEPTH + 5; i++) {
    long.push({ job_id: `j${i}`, name: `j${i}`, after: { job_id: `j${i - 1}`, on: 'succeeded' } });
  }
  const lookup = jobs(...long);
  await t.rejects(
    checkChain('new', { job_id: `j${MAX_CHAIN_DEPTH + 5}`, on: 'succeeded' }, lookup),
    refusal(`after: the chain above this job is longer than ${MAX_CHAIN_DEPTH} jobs`),
  );
  t.equal(lookup.calls, MAX_CHAIN_DEPTH, 'bounded look-ups');
  t.ok(await checkChain('new', { job_id: `j${MAX_CHAIN_DEPTH - 1}`, on: 'succeeded' }, lookup), 'at the limit');
});

t.test('which ends run a chained job', async (t) => {
  const states = ['succeeded', 'failed', 'timeout', 'stopped', 'scheduled error', 'running', 'scheduled'];
  const runs = (on: 'succeeded' | 'failed' | 'finished') => states.filter((s) => chainTriggered(on, s));
  t.same(runs('succeeded'), ['succeeded']);
  t.same(runs('failed'), ['failed', 'timeout']);
  t.same(runs('finished'), ['succeeded', 'failed', 'timeout', 'stopped']);
});

t.test("a chained run's id: one per job and upstream execution, 32 hex digits", async (t) => {
  const id = chainExecutionId('down', 'exec1');
  t.match(id, /^[0-9a-f]{32}$/);
  t.equal(chainExecutionId('down', 'exec1'), id, 'the same everywhere');
  t.not(chainExecutionId('down', 'exec2'), id);
  t.not(chainExecutionId('other', 'exec1'), id);
});

const base = { name: 'j', job_class_string: 'a.B' };
const after = { job_id: 'up', on: 'succeeded' as const };

t.test('after and no schedule: a job that only runs after, never fires by itself', async (t) => {
  const job = newJobDefinition({ ...base, after }, 'Europe/Berlin');
  t.ok(isUnscheduled(job));
  t.match(job, { ...UNSCHEDULED_JOB_FIELDS, cron: null, timezone: 'Europe/Berlin', after });
  t.equal(triggerFor(job).nextFireTime(Date.now()), null);
  t.throws(() => newJobDefinition({ ...base, after, timezone: 'Mars/Base' }, 'UTC'), {
    field: 'timezone',
    message: /^timezone: /,
  });

  const both = newJobDefinition({ ...base, after, hour: '3' }, 'UTC');
  t.notOk(isUnscheduled(both), 'with a schedule too, it keeps it');
  t.equal(both.hour, '3');
  t.throws(
    () => newJobDefinition(base, 'UTC'),
    { field: 'schedule', message: /^at least one of / },
    'neither: refused as before',
  );
});

t.test(
  'PUT of a job only after: other changes keep it so; a schedule makes it fire; after: null alone is refused',
  async (t) => {
    const job = newJobDefinition({ ...base, after }, 'UTC');
    const renamed = mergeJobChanges(job, { name: 'k', after: { job_id: 'up2', on: 'failed' } });
    t.ok(isUnscheduled(renamed));
    t.same(renamed.after, { job_id: 'up2', on: 'failed' });
    const scheduled = mergeJobChanges(job, { minute: '*/5', after: null });
    t.match(scheduled, { minute: '*/5', after: null });
    t.notOk(isUnscheduled(scheduled));
    t.throws(() => mergeJobChanges(job, { after: null }), {
      field: 'after',
      message: /^after: this job runs only after/,
    });
    const dropped = mergeJobChanges(scheduled, { ...UNSCHEDULED_JOB_FIELDS, after: { job_id: 'up3', on: 'finished' } });
    t.ok(isUnscheduled(dropped), "'' fields drop the schedule of a job with after");
    t.ok(isUnscheduled(newJobDefinition({ ...base, ...UNSCHEDULED_JOB_FIELDS, after }, 'UTC')), 'a GET echoed back');
    t.throws(() => mergeJobChanges(scheduled, { ...UNSCHEDULED_JOB_FIELDS }), {
      field: 'schedule',
      message: /^schedule: empty APScheduler fields mean no schedule/,
    });
    const crontab = mergeJobChanges(job, { cron: '@daily' });
    t.match(crontab, { cron: /\S/, after });
    t.notOk(isUnscheduled(crontab));
  },
);

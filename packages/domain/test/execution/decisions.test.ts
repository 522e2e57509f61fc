import t from 'tap';
import { classRefusal, instanceRefusal, misfireRefusal } from '../../src/execution/admission.js';
import { fireExecutionId } from '../../src/execution/fire-id.js';
import { runOutcome } from '../../src/execution/outcome.js';
import { BUCKET_MS, bucketOf, bucketsCovering, DAY_MS, dayOf } from '../../src/execution/time-buckets.js';
import { ExecutionState as S } from '../../src/execution-state.js';

t.test('misfire grace: on time within it, recorded as missed past it', async (t) => {
  t.equal(misfireRefusal(10_000, 12_000, 2), null, 'exactly at the grace still runs');
  t.same(misfireRefusal(10_000, 12_001, 2), {
    description: 'Run time of job was missed by 2 s (misfire grace 2 s)',
    result: '',
  });
  t.match(misfireRefusal(0, 3_600_000, 60)?.description, /missed by 3600 s \(misfire grace 60 s\)/);
});

t.test('instance and class refusals say why', async (t) => {
  t.match(instanceRefusal(3).description, /maximum number of running instances reached \(3\)/);
  const error = new Error('No job class "x.Y"');
  t.same(classRefusal(error), { description: 'No job class "x.Y"', result: error.stack });
});

t.test('outcome: what the job answered, unless its worker cut it short', async (t) => {
  t.same(runOutcome({ value: { a: [1, 2] } }, undefined, null), {
    state: S.succeeded,
    description: '',
    result: '{\n    "a": [\n        1,\n        2\n    ]\n}',
  });
  const error = new Error('boom');
  t.same(runOutcome({ error }, undefined, null), { state: S.failed, description: 'boom', result: error.stack });
  t.same(runOutcome({ error }, 'timeout', 5), { state: S.timeout, description: 'timed out after 5 s', result: '' });
  t.same(runOutcome({ value: 1 }, 'stop', null), { state: S.stopped, description: 'stopped on request', result: '' });
  t.match(runOutcome({ error }, 'shutdown', null), { state: S.stopped, description: /worker shut down/ });
});

t.test('a fire has one execution id, whichever worker records it', async (t) => {
  const id = fireExecutionId('a'.repeat(32), 1_700_000_000_000);
  t.match(id, /^[0-9a-f]{32}$/);
  t.equal(fireExecutionId('a'.repeat(32), 1_700_000_000_000), id);
  t.not(fireExecutionId('a'.repeat(32), 1_700_000_000_001), id);
  t.not(fireExecutionId('b'.repeat(32), 1_700_000_000_000), id);
});

t.test('a time range becomes whole days and 10-minute buckets at its edges', async (t) => {
  const day = 20_000 * DAY_MS;
  t.same(bucketsCovering(day + 5 * 60_000, day + 25 * 60_000), [
    { bucket: bucketOf(day) },
    { bucket: bucketOf(day) + 1 },
    { bucket: bucketOf(day) + 2 },
  ]);
  const keys = bucketsCovering(day - 20 * 60_000, day + DAY_MS + 15 * 60_000);
  t.same(keys, [
    { bucket: bucketOf(day) - 2 },
    { bucket: bucketOf(day) - 1 },
    { day: dayOf(day) },
    { bucket: bucketOf(day + DAY_MS) },
    { bucket: bucketOf(day + DAY_MS) + 1 },
  ]);
  t.same(bucketsCovering(day, day), [{ bucket: bucketOf(day) }], 'an instant is one bucket');
  t.equal(bucketsCovering(0, 30 * DAY_MS).length, 31, 'a month: a look-up a day');
  t.equal(BUCKET_MS * 144, DAY_MS);
});

import t from 'tap';
import { bucketRuns, countByState } from '../../src/lib/buckets.js';
import type { State } from '../../src/lib/types.js';

const at = (ms: number, state: State) => ({ state, scheduled_time: new Date(ms).toISOString() });

t.test('runs fall into equal buckets by scheduled time, counted per state', async (t) => {
  const runs = [at(0, 'succeeded'), at(999, 'failed'), at(1000, 'succeeded'), at(3999, 'running'), at(4000, 'stopped')];
  const buckets = bucketRuns(runs, 0, 4000, 4);
  t.same(
    buckets.map((b) => b.total),
    [2, 1, 0, 2],
    'the end of the range belongs to the last bucket',
  );
  t.equal(buckets[0]?.counts.succeeded, 1);
  t.equal(buckets[0]?.counts.failed, 1);
  t.equal(buckets[3]?.counts.running, 1);
  t.equal(buckets[3]?.counts.stopped, 1);
  t.same([buckets[1]?.start, buckets[1]?.end], [1000, 2000]);
});

t.test('runs outside the range are left out', async (t) => {
  const buckets = bucketRuns([at(-1, 'failed'), at(5000, 'failed')], 0, 4000, 4);
  t.equal(
    buckets.reduce((n, b) => n + b.total, 0),
    0,
  );
});

t.test('counts cover every state, zero when none', async (t) => {
  const counts = countByState([{ state: 'failed' }, { state: 'failed' }, { state: 'scheduled error' }]);
  t.equal(counts.failed, 2);
  t.equal(counts['scheduled error'], 1);
  t.equal(counts.succeeded, 0);
  t.equal(Object.keys(counts).length, 8);
});

import t from 'tap';
import { percentile, perSecond, spread, tally } from '../src/stats.js';

t.test('percentiles are nearest-rank over the sorted figures', async (t) => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  t.same(spread(hundred), { p50: 50, p99: 99, max: 100 });
  t.equal(percentile([7], 99), 7);
  t.same(spread([]), { p50: null, p99: null, max: null }, 'no figures: nothing to report, not zeros');
  t.throws(() => percentile([], 50));
});

t.test('one slow run out of a thousand shows in max, not in p99', async (t) => {
  const runs = [...Array.from({ length: 999 }, () => 100), 30_000];
  t.same(spread(runs), { p50: 100, p99: 100, max: 30_000 });
});

t.test('rates and tallies', async (t) => {
  t.equal(perSecond(2000, 500), 4000);
  t.equal(perSecond(5, 0), 0);
  t.same(
    [...tally(['a', 'b', 'a'])],
    [
      ['a', 2],
      ['b', 1],
    ],
  );
});

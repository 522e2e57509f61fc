import t from 'tap';
import { SharedCheck } from '../../src/services/shared-check.js';

t.test('a burst of callers costs at most two checks, and late callers get a check that began after them', async (t) => {
  const began: number[] = [];
  const finish: Array<() => void> = [];
  let seq = 0;
  const shared = new SharedCheck(() => {
    began.push(++seq);
    return new Promise<boolean>((resolve) => finish.push(() => resolve(true)));
  });
  const first = shared.run();
  const late = [shared.run(), shared.run(), shared.run()];
  t.same(began, [1], 'one check on its way');
  finish.shift()?.();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  t.same(began, [1, 2], 'the callers that came during the first share a second one, begun after they asked');
  finish.shift()?.();
  t.same(await Promise.all(late), [true, true, true]);
  t.equal(began.length, 2);
});

t.test('a failed check is not the end: the next caller starts another', async (t) => {
  let calls = 0;
  const shared = new SharedCheck(async () => {
    calls++;
    if (calls === 1) throw new Error('Redis away');
    return true;
  });
  await t.rejects(shared.run(), /Redis away/);
  t.equal(await shared.run(), true);
});

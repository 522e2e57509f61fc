import t from 'tap';
import { QUEUE_NAME, runQueueName, servedTagSets } from '../src/queue-names.js';

t.test('untagged jobs stay in the base queue; each tag set has a queue of its own', async (t) => {
  t.equal(runQueueName([]), QUEUE_NAME);
  t.equal(runQueueName(['backup']), 'runs@backup');
  t.equal(runQueueName(['backup', 'eu']), 'runs@backup,eu');
  t.notOk(runQueueName(['backup', 'eu']).includes(':'), 'BullMQ refuses ":" in a queue name');
});

t.test('a worker consumes the tag sets in use it has all the tags of', async (t) => {
  const inUse = [['backup'], ['backup', 'eu'], ['eu'], ['gpu'], []];
  t.same(servedTagSets(['backup'], inUse), [['backup']]);
  t.same(servedTagSets(['backup', 'eu'], inUse), [['backup'], ['backup', 'eu'], ['eu']]);
  t.same(servedTagSets([], inUse), [], 'an untagged worker: the base queue only');
  t.same(servedTagSets(['gpu', 'eu'], inUse), [['eu'], ['gpu']]);
});

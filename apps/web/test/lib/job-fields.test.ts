import t from 'tap';
import { optionLabel, optionProblem, readOption } from '../../src/lib/job-fields.js';

t.test('worker tags are typed comma-separated and checked by the contract', async (t) => {
  t.equal(optionLabel('worker_tags'), 'Worker tags (comma-separated)');
  t.same(readOption('worker_tags', ' eu, backup ,'), ['eu', 'backup']);
  t.same(readOption('worker_tags', ''), [], 'blank: no tags');
  t.equal(optionProblem('worker_tags', 'backup,eu'), null);
  t.match(optionProblem('worker_tags', 'GPU'), /tags of letters a-z/);
  t.match(optionProblem('worker_tags', Array.from({ length: 17 }, (_, i) => `t${i}`).join(',')), /at most 16/);
});

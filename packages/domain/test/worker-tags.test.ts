import t from 'tap';
import { mergeJobChanges, newJobDefinition } from '../src/job-definition.js';
import { ValidationError } from '../src/validation-error.js';
import { hasAllTags, missingWorkerTags, normalizeWorkerTags, parseWorkerTags, tagSetKey } from '../src/worker-tags.js';

t.test('a tag set is stored unique and sorted; a bad tag is a ValidationError naming the field', async (t) => {
  t.same(normalizeWorkerTags(['eu', 'backup', 'eu']), ['backup', 'eu']);
  t.same(normalizeWorkerTags([]), []);
  t.equal(tagSetKey(['eu', 'backup']), 'backup,eu');
  for (const bad of ['Backup', 'with space', '', 'a,b', 'x'.repeat(65), 'é']) {
    t.throws(() => normalizeWorkerTags([bad]), { name: 'ValidationError', field: 'worker_tags' }, JSON.stringify(bad));
  }
  t.throws(() => parseWorkerTags('ok,Not', 'WORKER_TAGS'), new ValidationError('WORKER_TAGS', ''));
});

t.test('parseWorkerTags reads "backup, eu" as the CLI and WORKER_TAGS give it', async (t) => {
  t.same(parseWorkerTags(' eu , backup,,'), ['backup', 'eu']);
  t.same(parseWorkerTags(''), []);
});

t.test('a worker may run a job when it has all of the job tags', async (t) => {
  t.ok(hasAllTags(['backup', 'eu'], ['backup']));
  t.ok(hasAllTags(['backup', 'eu'], ['eu', 'backup']));
  t.ok(hasAllTags([], []), 'an untagged job runs anywhere');
  t.ok(hasAllTags(['eu'], []));
  t.notOk(hasAllTags(['backup'], ['backup', 'eu']));
  t.notOk(hasAllTags([], ['backup']));
});

t.test('missingWorkerTags names the tags no live worker has, or says none has them all', async (t) => {
  t.equal(missingWorkerTags(['backup'], [['backup', 'eu']]), null);
  t.equal(missingWorkerTags(['backup', 'gpu'], [['backup'], ['eu']]), 'no live worker with tags: gpu');
  t.equal(missingWorkerTags(['backup'], []), 'no live worker with tags: backup');
  t.equal(
    missingWorkerTags(['backup', 'eu'], [['backup'], ['eu']]),
    'no live worker with all of the tags: backup, eu',
    'each tag is held, by different workers',
  );
});

t.test('jobs take worker_tags normalized; PUT keeps them unless given', async (t) => {
  const job = newJobDefinition({ name: 'n', job_class_string: 'a.B', hour: '1', worker_tags: ['eu', 'backup'] }, 'UTC');
  t.same(job.worker_tags, ['backup', 'eu']);
  t.same(newJobDefinition({ name: 'n', job_class_string: 'a.B', hour: '1' }, 'UTC').worker_tags, []);
  t.same(mergeJobChanges(job, { name: 'renamed' }).worker_tags, ['backup', 'eu']);
  t.same(mergeJobChanges(job, { worker_tags: [] }).worker_tags, []);
  t.throws(() => mergeJobChanges(job, { worker_tags: ['NO'] }), { name: 'ValidationError', field: 'worker_tags' });
});

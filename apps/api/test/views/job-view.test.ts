import type { JobDefinition } from '@tickwork/domain';
import t from 'tap';
import { jobView } from '../../src/views/job-view.js';

const job = (changes: Partial<JobDefinition> = {}): JobDefinition =>
  ({
    job_id: 'a1',
    name: 'every ten minutes',
    job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
    pub_args: [],
    month: '*',
    day: '*',
    week: '*',
    day_of_week: '*',
    hour: '*',
    minute: '*/10',
    second: '0',
    timezone: 'UTC',
    paused: false,
    ...changes,
  }) as JobDefinition;

t.test('next_run_time follows the clock on a job kept between requests', async (t) => {
  const kept = job();
  const at = Date.parse('2026-12-02T10:03:00Z');
  t.equal(jobView(kept, at).next_run_time, '2026-12-02T10:10:00.000000+00:00');
  t.equal(jobView(kept, at + 60_000).next_run_time, '2026-12-02T10:10:00.000000+00:00', 'the same fire, a minute on');
  t.equal(jobView(kept, Date.parse('2026-12-02T10:10:00.001Z')).next_run_time, '2026-12-02T10:20:00.000000+00:00');
  t.equal(jobView(kept, at).next_run_time, '2026-12-02T10:10:00.000000+00:00', 'asked back in time, answered anew');
});

t.test('a changed job is a new object, shown as it now is', async (t) => {
  const at = Date.parse('2026-12-02T10:03:00Z');
  t.equal(jobView(job(), at).name, 'every ten minutes');
  t.equal(jobView(job({ name: 'renamed' }), at).name, 'renamed');
  t.equal(jobView(job({ paused: true }), at).next_run_time, '');
});

import { JobChangesSchema, NewJobSchema } from '@tickwork/domain';
import { Type } from 'typebox';
import { MAX_PAGE, PageQueryProperties, PageReplyProperties } from '../page-query.js';
import { JobView, replies } from '../reply-schemas.js';

export const JobIdParams = Type.Object({ job_id: Type.String() });
export const JobIdReply = Type.Object(
  { job_id: Type.String() },
  { examples: [{ job_id: 'd8f376e858a411e4b6ae22000ac58d05' }] },
);

const tags = ['jobs'];
export const listJobsSchema = {
  tags,
  summary: `All jobs, in the order they were added (${MAX_PAGE} at a time at most: see truncated)`,
  querystring: Type.Object(PageQueryProperties),
  response: replies({ 200: Type.Object({ jobs: Type.Array(JobView), ...PageReplyProperties }) }),
};
export const createJobSchema = {
  tags,
  summary: 'Add a job',
  body: {
    ...NewJobSchema,
    examples: [
      {
        job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
        name: 'My first job',
        minute: '*/1',
        pub_args: ['arg1', 2],
      },
      {
        job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
        name: 'Nightly backup',
        cron: '30 2 * * 1-5',
        timezone: 'Europe/Berlin',
        pub_args: ['/usr/local/bin/backup.sh'],
      },
      {
        job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
        name: 'Nightly backup, on a backup worker in the EU',
        hour: '2',
        pub_args: ['/usr/local/bin/backup'],
        worker_tags: ['backup', 'eu'],
        misfire_grace_sec: 600,
      },
      {
        job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
        name: 'Report after the import',
        after: { job_id: 'd8f376e858a411e4b6ae22000ac58d05', on: 'succeeded' },
      },
    ],
  },
  response: replies({ 201: JobIdReply }),
};
export const modifyJobSchema = {
  tags,
  summary: 'Change a job (cron fields given replace the whole schedule)',
  params: JobIdParams,
  body: {
    ...JobChangesSchema,
    examples: [
      { hour: '3', minute: '30' },
      { cron: '*/15 * * * *' },
      { worker_tags: ['backup'] },
      { after: { job_id: 'd8f376e858a411e4b6ae22000ac58d05', on: 'finished' } },
      { after: null },
    ],
  },
  response: replies({ 200: JobIdReply }),
};
export const jobByIdSchema = { tags, summary: 'One job', params: JobIdParams, response: replies({ 200: JobView }) };
export const deleteJobSchema = {
  tags,
  summary: 'Delete a job',
  params: JobIdParams,
  response: replies({ 200: JobIdReply }),
};
export const pauseJobSchema = {
  tags,
  summary: 'Pause a job',
  params: JobIdParams,
  response: replies({ 200: JobIdReply }),
};
export const resumeJobSchema = {
  tags,
  summary: 'Resume a paused job (a CORS preflight gets 204 and resumes nothing)',
  params: JobIdParams,
  response: replies({ 200: JobIdReply }),
};

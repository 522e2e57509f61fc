/**
 * The sample jobs, under the job_class_strings ndscheduler gave them, so existing job definitions run
 * unchanged: `simple_scheduler.jobs.sample_job.AwesomeJob` is the export path below.
 */
import * as curl_job from './simple_scheduler/jobs/curl_job.js';
import * as sample_job from './simple_scheduler/jobs/sample_job.js';
import * as shell_job from './simple_scheduler/jobs/shell_job.js';
import * as slack_job from './simple_scheduler/jobs/slack_job.js';

export const simple_scheduler = { jobs: { sample_job, shell_job, curl_job, slack_job } };

// JOB_CLASS_PACKAGES end to end: a user's package, given by path, is offered by the worker and runs.
import { fileURLToPath } from 'node:url';
import { spawnWorker, testEnvironment, waitFor } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const myJobs = fileURLToPath(new URL('./fixtures/my-jobs.mjs', import.meta.url));
const environment = testEnvironment(t, { JOB_CLASS_PACKAGES: `@tickwork/sample-jobs,${myJobs}` });
const api = await startApi(t, environment);
await spawnWorker(t, environment);

t.test("the user's class is listed with its meta info and runs under its dotted string", async (t) => {
  const classes = (await api.request('GET', '/api/v1/job-classes')).body.job_classes;
  t.match(
    classes.find((c: { job_class_string: string }) => c.job_class_string === 'reports.Report'),
    {
      notes: 'Builds the daily report',
      arguments: [{ type: 'string', description: 'team' }],
      example_arguments: '["infra"]',
    },
  );
  const { job_id } = (
    await api.request('POST', '/api/v1/jobs', {
      name: 'Daily report',
      job_class_string: 'reports.Report',
      hour: '6',
      pub_args: ['infra'],
    })
  ).body;
  const { execution_id } = (await api.request('POST', `/api/v1/executions/${job_id}`)).body;
  const execution = await waitFor('the report to succeed', async () => {
    const { body } = await api.request('GET', `/api/v1/executions/${execution_id}`);
    return body.state === 'succeeded' ? body : undefined;
  });
  t.same(JSON.parse(execution.result), { team: 'infra', rows: 42, job_id, execution_id });
});

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { refuseUnknownJobFields } from '@tickwork/domain';
import { actorOf } from '../../../../plugins/app/access-control.js';
import { jobView } from '../../../../views/job-view.js';
import { seesSecrets } from '../../../../views/secrets.js';
import { pageReply, pageRequest, plainJsonReply } from '../page-query.js';
import {
  createJobSchema,
  deleteJobSchema,
  jobByIdSchema,
  listJobsSchema,
  modifyJobSchema,
  pauseJobSchema,
  resumeJobSchema,
} from './schema.js';

/** /api/v1/jobs: ndscheduler's job API. PATCH pauses and OPTIONS resumes, as in ndscheduler. */
const jobs: FastifyPluginAsyncTypebox = async (app) => {
  const read = { access: 'viewer' } as const;
  const change = { access: 'editor' } as const;

  app.get('/', { schema: listJobsSchema, config: read, ...plainJsonReply }, async (request) => {
    const now = Date.now();
    const { limit, after } = pageRequest(request.query);
    const page = (await app.jobCatalog.fresh().catch(() => false))
      ? app.jobCatalog.list(limit, after)
      : await app.store.jobs.list(limit, after);
    const hide = !seesSecrets(request);
    return { jobs: page.items.map((job) => jobView(job, now, hide)), ...pageReply(page.next) };
  });

  // Before the schema: a misspelt field is named as such, not lost or reported as a missing one.
  const knownFieldsOnly = async (request: { body: unknown }) => refuseUnknownJobFields(request.body);

  app.post('/', { schema: createJobSchema, config: change, preValidation: knownFieldsOnly }, async (request, reply) => {
    const jobId = await app.jobService.create(request.body, actorOf(request));
    return reply.code(201).send({ job_id: jobId });
  });

  app.get('/:job_id', { schema: jobByIdSchema, config: read }, async (request) => {
    return jobView(await app.jobService.get(request.params.job_id), Date.now(), !seesSecrets(request));
  });

  app.put(
    '/:job_id',
    {
      schema: modifyJobSchema,
      config: change,
      // ndscheduler's own sample sends PUT with no body: that is a change of nothing, not an error.
      preValidation: async (request) => {
        request.body ??= {};
        refuseUnknownJobFields(request.body);
      },
    },
    async (request) => {
      await app.jobService.modify(request.params.job_id, request.body, actorOf(request));
      return { job_id: request.params.job_id };
    },
  );

  app.delete('/:job_id', { schema: deleteJobSchema, config: change }, async (request) => {
    await app.jobService.delete(request.params.job_id, actorOf(request));
    return { job_id: request.params.job_id };
  });

  app.patch('/:job_id', { schema: pauseJobSchema, config: change }, async (request) => {
    await app.jobService.setPaused(request.params.job_id, true, actorOf(request));
    return { job_id: request.params.job_id };
  });

  app.options('/:job_id', { schema: resumeJobSchema, config: change }, async (request, reply) => {
    // A CORS preflight asks whether a request may be sent; it must never act as a resume.
    if (request.headers['access-control-request-method'] !== undefined) return reply.code(204).send();
    await app.jobService.setPaused(request.params.job_id, false, actorOf(request));
    return { job_id: request.params.job_id };
  });
};

export default jobs;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Actor } from '../../../../auth/principal.js';
import { actorOf } from '../../../../plugins/app/access-control.js';
import { executionView } from '../../../../views/execution-view.js';
import { seesSecrets } from '../../../../views/secrets.js';
import { pageReply, pageRequest, plainJsonReply } from '../page-query.js';
import { timeRange } from '../time-range.js';
import {
  executionByIdSchema,
  executionOutputSchema,
  listExecutionsSchema,
  runJobByBodySchema,
  runJobByParamSchema,
  stopExecutionSchema,
} from './schema.js';

/**
 * /api/v1/executions: runs in a time range, one run, its output, stop a run, and run-now (by path or by
 * body). The output is not in the execution JSON (lists stay small): the UI reads it here, from an offset.
 */
const executions: FastifyPluginAsyncTypebox = async (app) => {
  const read = { access: 'viewer' } as const;
  const change = { access: 'editor' } as const;

  app.get('/', { schema: listExecutionsSchema, config: read, ...plainJsonReply }, async (request) => {
    const { start, end } = timeRange(request.query);
    const { limit, after } = pageRequest(request.query);
    const window = app.executionWindow;
    const page =
      window && (await window.covers(start.getTime()))
        ? window.between(start.getTime(), end.getTime(), limit, after)
        : await app.executionHistory.between(start.getTime(), end.getTime(), limit, after);
    const hide = !seesSecrets(request);
    return { executions: page.items.map((e) => executionView(e, hide)), ...pageReply(page.next) };
  });

  app.get('/:execution_id', { schema: executionByIdSchema, config: read }, async (request) => {
    return executionView(await app.executionService.get(request.params.execution_id), !seesSecrets(request));
  });

  app.get('/:execution_id/output', { schema: executionOutputSchema, config: read }, async (request) => {
    return app.executionService.output(request.params.execution_id, Number(request.query.offset ?? '0'));
  });

  app.delete('/:execution_id', { schema: stopExecutionSchema, config: change }, async (request) => {
    await app.executionService.stop(request.params.execution_id, request.auditUser);
    request.log.info({ execution_id: request.params.execution_id, by: request.auditUser }, 'stop requested');
    return { execution_id: request.params.execution_id };
  });

  // Run now, by path (ndscheduler's) or by body.
  const runNow = async (jobId: string, by: Actor) => {
    const executionId = await app.jobService.runNow(jobId, by);
    app.log.info({ job_id: jobId, execution_id: executionId, by: by.name }, 'run now requested');
    return { execution_id: executionId };
  };
  app.post('/:job_id', { schema: runJobByParamSchema, config: change }, async (request) =>
    runNow(request.params.job_id, actorOf(request)),
  );
  app.post('/', { schema: runJobByBodySchema, config: change }, async (request) =>
    runNow(request.body.job_id, actorOf(request)),
  );
};

export default executions;

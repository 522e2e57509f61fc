import { Type } from 'typebox';
import { PageQueryProperties, PageReplyProperties } from '../page-query.js';
import { ExecutionView, replies } from '../reply-schemas.js';
import { TimeRangeQuery } from '../time-range.js';

const tags = ['executions'];
const ExecutionIdParams = Type.Object({ execution_id: Type.String() });
const ExecutionIdReply = Type.Object(
  { execution_id: Type.String() },
  { examples: [{ execution_id: '1752e360a7b54af18386a598e1a52acb' }] },
);

export const listExecutionsSchema = {
  tags,
  summary: 'Runs scheduled in a time range (default: the last 10 minutes), most recently updated first',
  querystring: Type.Object({ ...TimeRangeQuery.properties, ...PageQueryProperties }),
  response: replies({ 200: Type.Object({ executions: Type.Array(ExecutionView), ...PageReplyProperties }) }),
};
export const executionByIdSchema = {
  tags,
  summary: 'One run',
  params: ExecutionIdParams,
  response: replies({ 200: ExecutionView }),
};
export const stopExecutionSchema = {
  tags,
  summary: 'Stop a running run wherever it runs: stopping, then stopped',
  params: ExecutionIdParams,
  response: replies({ 200: ExecutionIdReply }),
};
export const runJobByParamSchema = {
  tags,
  summary: 'Run a job now',
  params: Type.Object({ job_id: Type.String() }),
  response: replies({ 200: ExecutionIdReply }),
};
export const runJobByBodySchema = {
  tags,
  summary: 'Run a job now (job_id in the body)',
  body: Type.Object({ job_id: Type.String() }, { examples: [{ job_id: 'd8f376e858a411e4b6ae22000ac58d05' }] }),
  response: replies({ 200: ExecutionIdReply }),
};
export const executionOutputSchema = {
  tags,
  summary: "What a run logged (its job's logger, a ShellJob's stdout and stderr), from a byte offset",
  params: ExecutionIdParams,
  // Query strings are never coerced (see app.ts): the offset arrives as digits.
  querystring: Type.Object({ offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', maxLength: 12 })) }),
  response: replies({
    200: Type.Object(
      {
        output: Type.String(),
        next_offset: Type.Integer({ description: 'ask from here next time' }),
        truncated: Type.Boolean({ description: 'the output was cut at 256 KB' }),
        running: Type.Boolean(),
      },
      { examples: [{ output: 'hello world\n', next_offset: 12, truncated: false, running: false }] },
    ),
  }),
};

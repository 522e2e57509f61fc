import { Type } from 'typebox';
import { TimeRangeQuery } from '../time-range.js';

export const listExecutionsSchema = { querystring: TimeRangeQuery };
export const executionByIdSchema = { params: Type.Object({ execution_id: Type.String() }) };
export const runJobByParamSchema = { params: Type.Object({ job_id: Type.String() }) };
export const runJobByBodySchema = {
  body: Type.Object({ job_id: Type.String() }),
};

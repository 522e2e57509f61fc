import { Type } from 'typebox';
import { TimeRangeQuery } from '../time-range.js';

export const listExecutionsSchema = { querystring: TimeRangeQuery };
export const executionByIdSchema = { params: Type.Object({ execution_id: Type.String() }) };
export const runJobByParamSchema = { params: Type.Object({ job_id: Type.String() }) };
export const runJobByBodySchema = {
  body: Type.Object({ job_id: Type.String() }),
};
export const executionOutputSchema = {
  params: Type.Object({ execution_id: Type.String() }),
  // Query strings are never coerced (see app.ts): the offset arrives as digits.
  querystring: Type.Object({ offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', maxLength: 12 })) }),
};

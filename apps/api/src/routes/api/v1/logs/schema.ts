import { Type } from 'typebox';
import { PageQueryProperties, PageReplyProperties } from '../page-query.js';
import { replies } from '../reply-schemas.js';
import { TimeRangeQuery } from '../time-range.js';

const AuditLogView = Type.Object(
  {
    job_id: Type.String(),
    job_name: Type.String(),
    event: Type.String({ description: 'added, modified, deleted, paused, resumed, custom_run, stopped' }),
    user: Type.String({ description: "the login name, token:<name>, or '' without users" }),
    description: Type.String(),
    created_time: Type.String(),
  },
  {
    examples: [
      {
        job_id: 'd8f376e858a411e4b6ae22000ac58d05',
        job_name: 'My first job',
        event: 'added',
        user: 'admin',
        description: '',
        created_time: '2026-11-27T10:00:00.000000+00:00',
      },
    ],
  },
);

export const listLogsSchema = {
  tags: ['audit log'],
  summary: 'The audit log in a time range (default: the last 10 minutes), newest first',
  querystring: Type.Object({ ...TimeRangeQuery.properties, ...PageQueryProperties }),
  response: replies({ 200: Type.Object({ logs: Type.Array(AuditLogView), ...PageReplyProperties }) }),
};

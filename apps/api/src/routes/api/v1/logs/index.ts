import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditLogView } from '../../../../views/audit-log-view.js';
import { TimeRangeQuery, timeRange } from '../time-range.js';

/** /api/v1/logs: the audit log in a time range, newest first. */
const logs: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { schema: { querystring: TimeRangeQuery }, config: { access: 'viewer' } }, async (request) => {
    const { start, end } = timeRange(request.query);
    return { logs: (await app.store.auditLogs.listCreatedBetween(start, end)).map(auditLogView) };
  });
};

export default logs;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditLogView } from '../../../../views/audit-log-view.js';
import { seesSecrets } from '../../../../views/secrets.js';
import { pageReply, pageRequest } from '../page-query.js';
import { timeRange } from '../time-range.js';
import { listLogsSchema } from './schema.js';

/** /api/v1/logs: the audit log in a time range, newest first. */
const logs: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { schema: listLogsSchema, config: { access: 'viewer' } }, async (request) => {
    const { start, end } = timeRange(request.query);
    const { limit, after } = pageRequest(request.query);
    const page = await app.store.auditLogs.listCreatedBetween(start, end, limit, after);
    const hide = !seesSecrets(request);
    return { logs: page.items.map((entry) => auditLogView(entry, hide)), ...pageReply(page.next) };
  });
};

export default logs;

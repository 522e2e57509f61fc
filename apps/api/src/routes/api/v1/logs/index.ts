import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditLogView } from '../../../../views/audit-log-view.js';
import { seesSecrets } from '../../../../views/secrets.js';
import { pageReply, pageRequest, plainJsonReply } from '../page-query.js';
import { timeRange } from '../time-range.js';
import { listLogsSchema } from './schema.js';

/** /api/v1/logs: the audit log in a time range, newest first. */
const logs: FastifyPluginAsyncTypebox = async (app) => {
  // The UI polls the last day: its closed buckets are read once, in the background, not by the first look.
  app.addHook('onReady', async () => {
    const started = Date.now();
    app.store.auditLogs
      .warm()
      .then(() => app.log.info({ ms: Date.now() - started }, 'audit log of the last day loaded'))
      .catch((err) => app.log.warn({ err }, 'audit log of the last day not loaded; read when asked'));
  });
  app.get('/', { schema: listLogsSchema, config: { access: 'viewer' }, ...plainJsonReply }, async (request) => {
    const { start, end } = timeRange(request.query);
    const { limit, after } = pageRequest(request.query);
    const page = await app.store.auditLogs.listCreatedBetween(start, end, limit, after);
    const hide = !seesSecrets(request);
    return { logs: page.items.map((entry) => auditLogView(entry, hide)), ...pageReply(page.next) };
  });
};

export default logs;

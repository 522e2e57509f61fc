import type { Config } from '@tickwork/config';
import { withRedisLock } from '@tickwork/queue';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface RetentionReport {
  executions: number;
  audit_logs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** One pass now: deletes what is past EXECUTION_RETENTION_DAYS / AUDIT_RETENTION_DAYS, bounded. */
    enforceRetention(): Promise<RetentionReport | null>;
  }
}

const DAY_MS = 24 * 3600 * 1000;
/** Deleted per statement, and at most this many statements per collection and pass. */
const BATCH = 1000;
const BATCHES_PER_PASS = 20;

/**
 * Keeps MongoDB from growing forever: every RETENTION_INTERVAL_SEC, finished executions and audit entries
 * older than their retention are deleted in acknowledged batches (no TTL index: the MongoDB-wire servers we
 * run on do not all honour one). Only one API process works a pass at a time (a Redis lock); a backlog
 * larger than a pass is worked off over the next passes. Running and waiting executions are never deleted.
 */
export default fp(
  async function retention(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;

    const sweep = async (remove: (limit: number) => Promise<number>): Promise<number> => {
      let total = 0;
      for (let i = 0; i < BATCHES_PER_PASS; i++) {
        const deleted = await remove(BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
      return total;
    };

    app.decorate('enforceRetention', () =>
      withRedisLock(app.redis, `${config.queuePrefix}:retention-lock`, 10 * 60_000, async () => {
        const now = Date.now();
        const executionsBefore = new Date(now - config.executionRetentionDays * DAY_MS);
        const auditBefore = new Date(now - config.auditRetentionDays * DAY_MS);
        const report = {
          executions: await sweep((limit) => app.store.executions.deleteFinishedBefore(executionsBefore, limit)),
          audit_logs: await sweep((limit) => app.store.auditLogs.deleteCreatedBefore(auditBefore, limit)),
        };
        if (report.executions || report.audit_logs) app.log.info(report, 'retention: old records deleted');
        return report;
      }),
    );

    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        app.enforceRetention().catch((err) => app.log.warn({ err }, 'retention pass failed'));
      }, config.retentionIntervalSec * 1000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'retention', dependencies: ['store', 'queue'] },
);

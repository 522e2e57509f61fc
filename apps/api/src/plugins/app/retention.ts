import type { Config } from '@tickwork/config';
import { dayOf } from '@tickwork/domain';
import { PeriodicPass } from '@tickwork/queue';
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

/**
 * Days looked at per collection and pass, and how long a pass may go on: an empty day costs one indexed
 * delete that finds nothing, so years of them take seconds; a big backlog is worked off over several passes.
 */
const DAYS_PER_PASS = 1000;
const PASS_BUDGET_MS = 60_000;

/** A collection filed by day: its oldest day, and how to delete one. */
interface ByDay {
  name: string;
  keepDays: number;
  oldestDay(): Promise<number | null>;
  deleteDay(day: number): Promise<number>;
}

/**
 * Keeps the store from growing forever: every RETENTION_INTERVAL_SEC, whole days of executions (by the day
 * they were due) and of audit entries older than their retention are deleted, a day at a time — an equality
 * delete every MongoDB-wire server serves from an index (no TTL index: the servers we run on do not all
 * honour one). How far it got is kept in the store, so a pass starts where the last one ended. Only one API
 * process works a pass at a time (a Redis lock).
 */
export default fp(
  async function retention(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;

    // A stop (the API closing) ends a pass between two days: each day's progress is kept, the next pass (of
    // any API process) goes on from there.
    const purge = async (collection: ByDay, today: number, stopping: AbortSignal): Promise<number> => {
      const key = `retention:${collection.name}`;
      const end = today - collection.keepDays;
      let day = (await app.store.meta.get<number>(key)) ?? (await collection.oldestDay()) ?? end;
      let deleted = 0;
      const until = Date.now() + PASS_BUDGET_MS;
      for (
        const last = Math.min(end, day + DAYS_PER_PASS);
        day < last && Date.now() < until && !stopping.aborted;
        day++
      ) {
        deleted += await collection.deleteDay(day);
        await app.store.meta.set(key, day + 1);
      }
      return deleted;
    };

    const pass = new PeriodicPass<RetentionReport>({
      name: 'retention',
      intervalMs: config.retentionIntervalSec * 1000,
      lock: { redis: app.redis, key: `${config.queuePrefix}:retention-lock`, ttlMs: 10 * 60_000 },
      run: async (stopping) => {
        const today = dayOf(Date.now());
        const { ledger, auditLogs } = app.store;
        const report = {
          executions: await purge(
            {
              name: 'executions',
              keepDays: config.executionRetentionDays,
              oldestDay: () => ledger.oldestDay(),
              deleteDay: (day) => ledger.deleteDay(day),
            },
            today,
            stopping,
          ),
          audit_logs: await purge(
            {
              name: 'audit_logs',
              keepDays: config.auditRetentionDays,
              oldestDay: () => auditLogs.oldestDay(),
              deleteDay: (day) => auditLogs.deleteDay(day),
            },
            today,
            stopping,
          ),
        };
        if (report.executions || report.audit_logs) app.log.info(report, 'retention: old records deleted');
        return report;
      },
      onError: (err) => app.log.warn({ err }, 'retention pass failed'),
    });
    app.decorate('enforceRetention', () => pass.runNow());
    app.addHook('onReady', async () => pass.start());
    // A pass ends at the next day (above); one stuck on a Redis or store that does not answer leaves the
    // API's stop after 5 s.
    app.addHook('onClose', () => pass.stop(5000));
  },
  { name: 'retention', dependencies: ['fleet'] },
);

import type { Log } from './child-process.js';
import { withPostgres } from './postgres-cluster.js';

/**
 * FerretDB 1.24 on PostgreSQL turns each top-level equality of a filter into jsonb containment,
 * `_jsonb->'field' @> '…'`. The indexes it makes for a collection's MongoDB indexes are btree expression
 * indexes, `((_jsonb->'field'))`, one expression per key of a compound index, which cannot serve `@>`: every
 * find, update and count by any field scanned its whole table, slower with every document stored
 * (docs/benchmarks.md measures it). A GIN index (jsonb_path_ops) on the same expression serves `@>`.
 *
 * This event trigger mirrors every btree index FerretDB creates (each table's unique `_id` index included,
 * which FerretDB makes with the table) with a GIN index on each of its jsonb expressions, unless the table
 * has one on that expression already; GIN indexes, ours included, are not mirrored, which ends the
 * recursion. Installing it also mirrors the indexes that exist already (data from before, or made by an
 * older trigger that indexed `_id` only), so it is idempotent. A failure to mirror is a warning, never a
 * failed createIndexes.
 */
const INSTALL = `
CREATE OR REPLACE FUNCTION tickwork_ferretdb_gin_mirror(index_oid oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ix record;
  k int;
  expr text;
BEGIN
  SELECT i.indrelid, i.indnkeyatts, t.relname, n.nspname, am.amname INTO ix
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR ix.amname <> 'btree' THEN RETURN; END IF;
  -- FerretDB's tables are the ones with a _jsonb jsonb column.
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ix.indrelid AND attname = '_jsonb'
                 AND atttypid = 'jsonb'::regtype AND NOT attisdropped) THEN RETURN; END IF;
  FOR k IN 1 .. ix.indnkeyatts LOOP
    CONTINUE WHEN (SELECT atttypid FROM pg_attribute WHERE attrelid = index_oid AND attnum = k)
                  IS DISTINCT FROM 'jsonb'::regtype;
    expr := pg_get_indexdef(index_oid, k, true);
    CONTINUE WHEN EXISTS (
      SELECT 1 FROM pg_index g JOIN pg_class gc ON gc.oid = g.indexrelid JOIN pg_am gam ON gam.oid = gc.relam
       WHERE g.indrelid = ix.indrelid AND gam.amname = 'gin' AND g.indnkeyatts = 1
         AND pg_get_indexdef(g.indexrelid, 1, true) = expr);
    BEGIN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((%s) jsonb_path_ops) WITH (fastupdate = off)',
        left(ix.relname, 40) || '_gin_' || left(md5(ix.relname || expr), 12), ix.nspname, ix.relname, expr);
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'tickwork: no GIN index on %.% (%): %', ix.nspname, ix.relname, expr, SQLERRM;
    END;
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION tickwork_ferretdb_gin_trigger() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands()
                 WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    PERFORM tickwork_ferretdb_gin_mirror(created.objid);
  END LOOP;
END $$;

-- The trigger before this one indexed each new table's _id only.
DROP EVENT TRIGGER IF EXISTS tickwork_ferretdb_id_index;
DROP FUNCTION IF EXISTS tickwork_ferretdb_id_index();
DROP EVENT TRIGGER IF EXISTS tickwork_ferretdb_gin_mirror;
CREATE EVENT TRIGGER tickwork_ferretdb_gin_mirror ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION tickwork_ferretdb_gin_trigger();

SELECT tickwork_ferretdb_gin_mirror(i.indexrelid)
  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
`;

/**
 * Installs the GIN mirroring trigger in FerretDB's PostgreSQL database (`postgresqlUrl`). Event triggers
 * need a superuser: without one FerretDB still works, only slower as collections grow, and `log` says so.
 */
export async function indexFerretDbQueries(postgresqlUrl: string, log: Log): Promise<void> {
  try {
    await withPostgres(postgresqlUrl, async (client) => {
      try {
        // Two FerretDB starts at once (parallel test runs) must not race on DROP/CREATE.
        await client.query('BEGIN');
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('tickwork_ferretdb_gin_mirror'))`);
        await client.query(INSTALL);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  } catch (err) {
    log(`could not index FerretDB's queries (${(err as Error).message}); they will scan their tables`);
  }
}

/**
 * FerretDB's PostgreSQL pool (`pool_max_conns`) for a fleet of Tickwork processes, so that the fleet cannot
 * exhaust it. FerretDB 1.24 deadlocks for good when it does: an update command keeps each statement's read
 * (and the pool connection under it) open until the whole command returns, and writes each document on
 * another connection; once every connection is held by a read whose write waits for one, nothing moves and
 * FerretDB answers nothing again (measured: ~50 concurrent updateOne, or one update of 50 statements, on its
 * default pool of 50).
 *
 * Each process has at most STORE_MAX_CONNECTIONS operations at the server (the driver's maxPoolSize), each
 * needing at most 2 connections (read + write) when it is one statement. Tickwork's only update command of
 * several statements is a worker's lease renewal, one statement per run it holds (≤ WORKER_CONCURRENCY), so
 * it needs WORKER_CONCURRENCY − 1 more per worker. Peak need:
 *   processes × STORE_MAX_CONNECTIONS × 2 + workers × WORKER_CONCURRENCY
 * (npm start's default, an API and one worker: 2 × 10 × 2 + 10 = 50), and the pool is twice that, at least
 * 200, so the fleet stays well below it and a bulk update of 100 statements still fits.
 */
export function ferretDbPoolSize(fleet: {
  processes: number;
  workers: number;
  storeMaxConnections: number;
  workerConcurrency: number;
}): number {
  const peak = fleet.processes * fleet.storeMaxConnections * 2 + fleet.workers * fleet.workerConcurrency;
  return Math.max(200, 2 * peak);
}

/**
 * The PostgreSQL URL FerretDB gets: `pool_max_conns` unless the URL sets its own, and plan_cache_mode =
 * force_custom_plan as a session setting (pgx sends unknown URL parameters at connect), so that even on a
 * PostgreSQL we do not configure, FerretDB's prepared statements are planned with their values and keep
 * using the GIN indexes (see postgres-cluster.ts).
 */
export function ferretDbPostgresqlUrl(postgresqlUrl: string, poolMaxConns: number): string {
  const url = new URL(postgresqlUrl);
  if (!url.searchParams.has('pool_max_conns')) url.searchParams.set('pool_max_conns', String(poolMaxConns));
  if (!url.searchParams.has('plan_cache_mode')) url.searchParams.set('plan_cache_mode', 'force_custom_plan');
  return url.toString();
}

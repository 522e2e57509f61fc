import pg from 'pg';

/**
 * FerretDB 1.24 on PostgreSQL turns an equality filter into jsonb containment, `_jsonb->'_id' @> '"…"'`,
 * which the btree indexes it makes cannot serve: every find and update by _id scans its whole table, and
 * gets slower with every document stored (docs/benchmarks.md measures it). A GIN index (jsonb_path_ops) on
 * that same expression serves `@>`. This event trigger adds one to each table FerretDB creates (a table
 * with its `_jsonb jsonb` column), so lookups by _id use an index as they do on MongoDB.
 */
const INSTALL = `
CREATE OR REPLACE FUNCTION tickwork_ferretdb_id_index() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE created record;
BEGIN
  FOR created IN SELECT objid, object_identity FROM pg_event_trigger_ddl_commands()
                 WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
    IF EXISTS (SELECT 1 FROM pg_attribute
               WHERE attrelid = created.objid AND attname = '_jsonb' AND atttypid = 'jsonb'::regtype) THEN
      EXECUTE format('CREATE INDEX ON %s USING gin ((_jsonb -> ''_id'') jsonb_path_ops) WITH (fastupdate = off)',
        created.object_identity);
    END IF;
  END LOOP;
END $$;
DROP EVENT TRIGGER IF EXISTS tickwork_ferretdb_id_index;
CREATE EVENT TRIGGER tickwork_ferretdb_id_index ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION tickwork_ferretdb_id_index();
`;

/**
 * Installs the _id index trigger in FerretDB's PostgreSQL database. Event triggers need a superuser: without
 * one, FerretDB still works, only slower as collections grow, and `log` says so.
 */
export async function indexFerretDbIds(postgresqlUrl: string, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: postgresqlUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    // Two FerretDB starts at once (parallel test runs) must not race on DROP/CREATE.
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('tickwork_ferretdb_id_index'))`);
    await client.query(INSTALL);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    log(`could not index FerretDB's _id lookups (${(err as Error).message}); they will scan their tables`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

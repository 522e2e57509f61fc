// FerretDB on PostgreSQL as npm start and npm test run it by default: every index a collection declares is
// mirrored by GIN indexes FerretDB's equality filters can use, prepared statements are planned with their
// values, and Tickwork's concurrency cannot wedge FerretDB's connection pool.
import { withPostgres } from '@tickwork/local-services';
import { Store } from '@tickwork/store';
import { testEnvironment } from '@tickwork/testing';
import type pg from 'pg';
import t, { type Test } from 'tap';

const postgresqlUrl = process.env.TICKWORK_TEST_POSTGRESQL_URL ?? '';
if (!postgresqlUrl) t.plan(0, 'the suite runs on a MongoDB-wire server that does not store in PostgreSQL');

/** Opens the Store on a database of this test's own; its name is also the PostgreSQL schema FerretDB uses. */
async function openStore(t: Test) {
  const { env } = testEnvironment(t);
  const store = await Store.open(env.MONGODB_URL as string);
  t.teardown(() => store.close());
  const schema = new URL(env.MONGODB_URL as string).pathname.slice(1);
  const db = store.connection.db;
  if (!db) throw new Error('no database handle');
  return { store, db, schema };
}

/** The PostgreSQL table FerretDB keeps `collection` in (its metadata table maps one to the other). */
async function tableOf(schema: string, collection: string): Promise<string> {
  return withPostgres(postgresqlUrl, async (client) => {
    const { rows } = await client.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM ${client.escapeIdentifier(schema)}._ferretdb_database_metadata
        WHERE _jsonb->>'_id' = $1`,
      [collection],
    );
    if (!rows[0]) throw new Error(`FerretDB has no table for ${collection}`);
    return rows[0].table;
  });
}

if (postgresqlUrl)
  t.test(
    'every field of every index of jobs, the ledger and the audit log has a GIN index FerretDB can use',
    async (t) => {
      const { db, schema } = await openStore(t);
      for (const collection of ['jobs', 'execution_ledger', 'audit_logs']) {
        const fields = new Set((await db.collection(collection).indexes()).flatMap((index) => Object.keys(index.key)));
        t.ok(fields.size > 1, `${collection} declares indexes (${[...fields].join(', ')})`);
        const table = await tableOf(schema, collection);
        const gin = await withPostgres(postgresqlUrl, async (client) => {
          const { rows } = await client.query<{ indexdef: string }>(
            'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
            [schema, table],
          );
          return rows.map((r) => r.indexdef).filter((def) => / USING gin \(/.test(def));
        });
        for (const field of fields) {
          t.ok(
            gin.some((def) => def.includes(`((_jsonb -> '${field}'::text)) jsonb_path_ops`)),
            `${collection}.${field} has a GIN (jsonb_path_ops) index`,
          );
        }
        t.equal(gin.length, fields.size, `${collection}: one GIN index per indexed field, none twice`);
      }
    },
  );

if (postgresqlUrl)
  t.test('a find by an indexed field reads the index, not the whole table', async (t) => {
    const { db } = await openStore(t);
    const ledger = db.collection<{ _id: string; [field: string]: unknown }>('execution_ledger');
    await ledger.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        _id: `e${i}`,
        execution_id: `run${i % 1000}`,
        bucket: i % 20,
        day: 1,
        entry: '{}',
      })),
    );
    // FerretDB 1.24 answers `explain` with its pushdown flags and PostgreSQL's own plan (EXPLAIN (VERBOSE,
    // FORMAT JSON) of the SQL it would run): {queryPlanner: {Plan: {"Node Type": "Bitmap Heap Scan", "Plans":
    // [{"Node Type": "Bitmap Index Scan", "Index Name": ..., "Index Cond": "((… -> 'fire_key'::text) @> …)"}],
    // ...}}, filterPushdown, sortPushdown, limitPushdown, command, serverInfo, ok}.
    const explained = await db.command({ explain: { find: 'execution_ledger', filter: { execution_id: 'run7' } } });
    t.equal(explained.filterPushdown, true, 'the equality reaches PostgreSQL');
    const plan = JSON.stringify(explained.queryPlanner);
    t.match(plan, /"Node Type":"(Bitmap Index Scan|Index Scan)"/, 'PostgreSQL reads an index');
    t.match(plan, /"Index Cond":"[^"]*'execution_id'::text\) @> /, 'the index answers the execution_id equality');
    t.notMatch(plan, /Seq Scan/, 'no sequential scan of the table');
    t.same(
      (await ledger.find({ execution_id: 'run7' }).toArray()).map((d) => d._id).sort(),
      ['e1007', 'e7'],
      'and finds them',
    );
  });

if (postgresqlUrl)
  t.test('FerretDB-style prepared statements are planned with their values (plan_cache_mode)', async (t) => {
    const { db, schema } = await openStore(t);
    await db
      .collection<{ _id: string }>('execution_ledger')
      .insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: `e${i}`, execution_id: `run@${i}` })));
    const table = `${schema}.${await tableOf(schema, 'execution_ledger')}`;
    const explainExecute = (client: pg.Client) =>
      client
        .query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE by_field('execution_id', '"run@5"')`)
        .then(({ rows }) => rows.map((r) => r['QUERY PLAN']).join('\n'));
    await withPostgres(postgresqlUrl, async (client) => {
      const { rows } = await client.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode');
      t.equal(rows[0]?.plan_cache_mode, 'force_custom_plan', 'the server plans each execution with its values');
      // As FerretDB prepares its queries: the field name is a parameter too.
      await client.query(`PREPARE by_field(text, jsonb) AS SELECT _jsonb FROM ${table} WHERE _jsonb -> $1 @> $2`);
      // PostgreSQL considers a generic plan after five executions: run it past that.
      for (let i = 0; i < 8; i++) await client.query(`EXECUTE by_field('execution_id', '"run@${i}"')`);
      const custom = await explainExecute(client);
      t.match(custom, /Index Scan/, 'the ninth execution still uses the GIN index');
      t.notMatch(custom, /Seq Scan/);
      // What the setting prevents: a generic plan cannot match the index on _jsonb -> 'execution_id'.
      await client.query('SET plan_cache_mode = force_generic_plan');
      t.match(await explainExecute(client), /Seq Scan/, 'a generic plan would scan the table');
    });
  });

if (postgresqlUrl)
  t.test(
    "more concurrency than FerretDB's old pool allowed completes: 200 updateOne and a bulkWrite of 100",
    async (t) => {
      const { store, db } = await openStore(t);
      t.equal(store.connection.getClient().options.maxPoolSize, 10, 'STORE_MAX_CONNECTIONS caps the process at 10');
      const probe = db.collection<{ _id: number; n: number }>('pool_probe');
      await probe.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, n: 0 })));
      // Each updateOne holds two of FerretDB's PostgreSQL connections at its peak, the bulkWrite 101: on
      // FerretDB's default pool of 50, far fewer wedged it for good.
      const work = Promise.all([
        ...Array.from({ length: 200 }, (_, i) => probe.updateOne({ _id: i }, { $set: { n: 1 } })),
        probe.bulkWrite(
          Array.from({ length: 100 }, (_, i) => ({
            updateOne: { filter: { _id: 200 + i }, update: { $set: { n: 1 } } },
          })),
        ),
      ]);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('FerretDB stopped answering within 60 s (pool deadlock)')), 60_000);
      });
      try {
        await Promise.race([work, deadline]);
      } finally {
        clearTimeout(timer);
      }
      t.equal(await probe.countDocuments({ n: 1 }), 300, 'every update was applied');
      await store.ping();
      t.pass('FerretDB still answers');
    },
  );

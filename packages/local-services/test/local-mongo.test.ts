// What npm start does with the store settings it reads, before starting anything.
import { ferretDbPoolSize, ferretDbPostgresqlUrl, provideLocalMongo } from '@tickwork/local-services';
import t from 'tap';

const quiet = () => {};
const options = { durable: true, poolMaxConns: 200, log: quiet, say: quiet };

t.test('a bad FERRETDB_BACKEND or FERRETDB_POSTGRESQL_URL is an error naming the variable', async (t) => {
  await t.rejects(provideLocalMongo({ FERRETDB_BACKEND: 'mysql' }, options), {
    message: 'FERRETDB_BACKEND: must be postgresql or sqlite, got "mysql"',
  });
  await t.rejects(provideLocalMongo({ FERRETDB_POSTGRESQL_URL: 'mysql://db/x' }, options), {
    message: 'FERRETDB_POSTGRESQL_URL: must start with postgres:// or postgresql://',
  });
  await t.rejects(provideLocalMongo({ FERRETDB_POSTGRESQL_URL: 'postgres://nobody@127.0.0.1:1/x' }, options), {
    message: /^FERRETDB_POSTGRESQL_URL: cannot use it \(connect ECONNREFUSED/,
  });
});

t.test("FerretDB's pool is twice the fleet's peak need, at least 200", async (t) => {
  const fleet = { storeMaxConnections: 10, workerConcurrency: 10 };
  t.equal(ferretDbPoolSize({ ...fleet, processes: 2, workers: 1 }), 200, 'npm start: 2 x (2x10x2 + 10) = 100, so 200');
  t.equal(ferretDbPoolSize({ ...fleet, processes: 4, workers: 3 }), 220, 'WORKERS=3: 2 x (4x10x2 + 3x10)');
  t.equal(
    ferretDbPoolSize({ processes: 9, workers: 8, storeMaxConnections: 20, workerConcurrency: 50 }),
    1520,
    '2 x (9x20x2 + 8x50)',
  );
});

t.test('the URL FerretDB gets carries its pool and plan_cache_mode, unless the URL sets them', async (t) => {
  t.equal(
    ferretDbPostgresqlUrl('postgres://u:p@h:5/db?sslmode=disable', 200),
    'postgres://u:p@h:5/db?sslmode=disable&pool_max_conns=200&plan_cache_mode=force_custom_plan',
  );
  t.equal(
    ferretDbPostgresqlUrl('postgres://h/db?pool_max_conns=80&plan_cache_mode=auto', 200),
    'postgres://h/db?pool_max_conns=80&plan_cache_mode=auto',
  );
});

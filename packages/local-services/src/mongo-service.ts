import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { endWithThisProcess, type Log, spawnService, stopChild, waitUntil } from './child-process.js';
import { ensureFerretDb } from './ferretdb-binary.js';
import { ferretDbPostgresqlUrl, indexFerretDbQueries } from './ferretdb-postgresql.js';
import { freePort } from './free-port.js';
import { which } from './which.js';

export interface ProvidedService {
  /** Connection URL without a database name. */
  url: string;
  /** What provides it: "MONGODB_URL", "mongod", "ferretdb (sqlite)", ... */
  source: string;
  stop(): Promise<void>;
}

export interface MongoOptions {
  /** Keep data here (npm start); a temp directory, removed at stop, when omitted (tests). */
  dataDir?: string;
  /** FerretDB storage: sqlite (default) or postgresql, at `postgresqlUrl` with a pool of `poolMaxConns`. */
  ferretDbBackend?: 'sqlite' | 'postgresql';
  postgresqlUrl?: string;
  /** FerretDB's PostgreSQL pool (ferretDbPoolSize); the URL's own pool_max_conns wins. */
  poolMaxConns?: number;
  /** How long to wait for `{ping: 1}` (default 60 s). */
  readyTimeoutMs?: number;
  /** Address to listen on (default 127.0.0.1); the URL returned still names 127.0.0.1. */
  listenHost?: string;
  /** A fixed port (to restart a server where its clients expect it); a free one when omitted. */
  port?: number;
  log: Log;
}

export async function mongoAnswersPing(url: string): Promise<boolean> {
  const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 1000 });
  try {
    await connection.asPromise();
    await connection.db?.admin().ping();
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * A MongoDB-wire server: MONGODB_URL when set; else a `mongod` on PATH; else our FerretDB 1.24 build.
 * Ready when it answers `{ping: 1}`.
 */
export async function provideMongo(env: NodeJS.ProcessEnv, options: MongoOptions): Promise<ProvidedService> {
  if (env.MONGODB_URL) return { url: env.MONGODB_URL, source: 'MONGODB_URL', stop: async () => {} };

  const port = options.port ?? (await freePort());
  const listenHost = options.listenHost ?? '127.0.0.1';
  const url = `mongodb://127.0.0.1:${port}`;
  const log = options.log;
  const mongod = which('mongod');
  const backend = options.ferretDbBackend ?? 'sqlite';
  // A data directory only for servers that keep their data in one (not FerretDB on PostgreSQL).
  const temporary = options.dataDir === undefined && (mongod !== null || backend === 'sqlite');
  const dataDir = options.dataDir ?? (temporary ? mkdtempSync(join(tmpdir(), 'tickwork-mongo-')) : '');
  const removeTemporary = () => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };

  let command: string;
  let args: string[];
  let source: string;
  if (mongod) {
    mkdirSync(dataDir, { recursive: true });
    command = mongod;
    args = ['--dbpath', dataDir, '--port', String(port), '--bind_ip', listenHost, '--quiet'];
    source = 'mongod';
  } else {
    try {
      command = await ensureFerretDb(log);
    } catch (err) {
      removeTemporary();
      throw new Error(
        'No MongoDB-wire server available. Set MONGODB_URL to a MongoDB, or put mongod on PATH, ' +
          `or install Go so FerretDB can be built (${(err as Error).message})`,
      );
    }
    // error level: at warn FerretDB logs every command it lacks (drivers send endSessions on each close).
    args = ['-listen', `${listenHost}:${port}`, '-handler', backend, '-log-level', 'error'];
    if (backend === 'postgresql') {
      if (!options.postgresqlUrl) throw new Error('FERRETDB_POSTGRESQL_URL is required for the postgresql backend');
      await indexFerretDbQueries(options.postgresqlUrl, log);
      args.push('-postgresql-url', ferretDbPostgresqlUrl(options.postgresqlUrl, options.poolMaxConns ?? 200));
    } else {
      mkdirSync(dataDir, { recursive: true });
      args.push('-sqlite-url', `file:${dataDir.endsWith('/') ? dataDir : `${dataDir}/`}`);
    }
    source = `ferretdb (${backend})`;
  }
  // A process group of its own, like PostgreSQL's: a Ctrl-C in the terminal reaches npm start alone, which
  // stops the server after the workers have written their last runs.
  const child = spawnService(command, args, log, { detached: true });
  const unwatch = endWithThisProcess(child, 'SIGTERM');
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${source} exited with code ${code} before it was ready`))),
  );
  exited.catch(() => undefined);
  const stop = async () => {
    unwatch();
    await stopChild(child);
    removeTemporary();
  };
  try {
    await Promise.race([waitUntil(source, () => mongoAnswersPing(url), options.readyTimeoutMs ?? 60_000), exited]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, source, stop };
}

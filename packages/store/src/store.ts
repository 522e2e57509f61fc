import { storeMaxConnections } from '@tickwork/config';
import type { Document } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import type { BatchOptions } from './batched-inserts.js';
import { CommandTally } from './command-tally.js';
import { apiTokenModel } from './models/api-token-model.js';
import { auditLogModel } from './models/audit-log-model.js';
import { jobModel } from './models/job-model.js';
import { userModel } from './models/user-model.js';
import { ApiTokenRepository } from './repositories/api-token-repository.js';
import { AuditLogRepository } from './repositories/audit-log-repository.js';
import { JobRepository } from './repositories/job-repository.js';
import { LEDGER_INDEXES, LedgerRepository } from './repositories/ledger-repository.js';
import { MetaRepository } from './repositories/meta-repository.js';
import { UserRepository } from './repositories/user-repository.js';

export const LEDGER_COLLECTION = 'execution_ledger';

export interface StoreOptions {
  serverSelectionTimeoutMS?: number;
  /** At most this many operations of this process at the server at once (default STORE_MAX_CONNECTIONS). */
  maxPoolSize?: number;
  /** How inserts are gathered into batches; `companions` ride with each ledger batch (a worker's lease). */
  batch?: Partial<BatchOptions>;
}

/** A few milliseconds of gathering: invisible in a run's latency, and a burst of fires goes in a few inserts. */
const DEFAULT_BATCH: BatchOptions = { windowMs: 2, maxBatch: 500, maxInFlight: 4 };

/** MongoDB, the source of truth: one connection and a repository per collection. */
export class Store {
  private constructor(
    readonly connection: Connection,
    readonly jobs: JobRepository,
    readonly ledger: LedgerRepository,
    readonly auditLogs: AuditLogRepository,
    readonly users: UserRepository,
    readonly apiTokens: ApiTokenRepository,
    readonly meta: MetaRepository,
    readonly commands: CommandTally,
  ) {}

  /**
   * Connects and creates the indexes, awaiting them: mongoose would otherwise swallow an index that the
   * server rejects.
   */
  static async open(url: string, options: StoreOptions = {}): Promise<Store> {
    const connection = mongoose.createConnection(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
      // At most this many operations of this process at the server at once (STORE_MAX_CONNECTIONS, 10); more
      // wait in the driver. The driver's default, 100, let one busy process wedge FerretDB: an update holds two
      // of FerretDB's PostgreSQL connections, and when every one is held by a waiting update, none gets its
      // second and FerretDB answers nothing again (README, "Development", sizes the pool against this).
      maxPoolSize: options.maxPoolSize ?? storeMaxConnections(),
      // Fail fast while disconnected instead of queueing: callers answer 503 or retry themselves.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
      monitorCommands: true,
    });
    const commands = new CommandTally();
    connection.getClient().on('commandStarted', (event) => commands.observe(event));
    await connection.asPromise();
    const jobs = jobModel(connection);
    const auditLogs = auditLogModel(connection);
    const users = userModel(connection);
    const apiTokens = apiTokenModel(connection);
    for (const model of [jobs, auditLogs, users, apiTokens]) {
      await model.createCollection().catch(ignoreExisting);
      await model.createIndexes();
    }
    const db = connection.db;
    if (!db) throw new Error('the MongoDB connection has no database');
    await db.createCollection(LEDGER_COLLECTION).catch(ignoreExisting);
    const ledger = db.collection<Document>(LEDGER_COLLECTION);
    // One at a time: FerretDB 1.24 panics on a createIndexes of several indexes that all exist already.
    for (const index of LEDGER_INDEXES) await ledger.createIndexes([index]);
    const batch = { ...DEFAULT_BATCH, ...options.batch };
    return new Store(
      connection,
      new JobRepository(jobs),
      new LedgerRepository(ledger, batch),
      new AuditLogRepository(auditLogs, { ...batch, companions: undefined }),
      new UserRepository(users),
      new ApiTokenRepository(apiTokens),
      new MetaRepository(db.collection<Document>('tickwork_meta')),
      commands,
    );
  }

  async ping(): Promise<void> {
    await this.connection.db?.admin().ping();
  }

  /** True for errors that mean "MongoDB cannot be reached right now", as opposed to a bad query. */
  static isUnavailable(err: unknown): boolean {
    const name = (err as { name?: unknown })?.name;
    // A bulk write that failed as a whole (no document judged) failed in transport: the driver wraps that so.
    const writeErrors = (err as { writeErrors?: unknown })?.writeErrors;
    if (name === 'MongoBulkWriteError' && Array.isArray(writeErrors) && writeErrors.length === 0) return true;
    return (
      typeof name === 'string' &&
      /^(MongoServerSelectionError|MongooseServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError)$/.test(
        name,
      )
    );
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

function ignoreExisting(err: { codeName?: string }): void {
  if (err.codeName !== 'NamespaceExists') throw err;
}

import { storeMaxConnections } from '@tickwork/config';
import mongoose, { type Connection } from 'mongoose';
import { apiTokenModel } from './models/api-token-model.js';
import { auditLogModel } from './models/audit-log-model.js';
import { executionModel } from './models/execution-model.js';
import { jobModel } from './models/job-model.js';
import { userModel } from './models/user-model.js';
import { ApiTokenRepository } from './repositories/api-token-repository.js';
import { AuditLogRepository } from './repositories/audit-log-repository.js';
import { ExecutionRepository } from './repositories/execution-repository.js';
import { JobRepository } from './repositories/job-repository.js';
import { UserRepository } from './repositories/user-repository.js';

/** MongoDB, the source of truth: one connection and a repository per collection. */
export class Store {
  private constructor(
    readonly connection: Connection,
    readonly jobs: JobRepository,
    readonly executions: ExecutionRepository,
    readonly auditLogs: AuditLogRepository,
    readonly users: UserRepository,
    readonly apiTokens: ApiTokenRepository,
  ) {}

  /**
   * Connects and creates the indexes, awaiting them: mongoose would otherwise swallow an index that the
   * server rejects, and the unique fire index is what keeps runs once per fire.
   */
  static async open(
    url: string,
    options: { serverSelectionTimeoutMS?: number; maxPoolSize?: number } = {},
  ): Promise<Store> {
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
    });
    await connection.asPromise();
    const jobs = jobModel(connection);
    const executions = executionModel(connection);
    const auditLogs = auditLogModel(connection);
    const users = userModel(connection);
    const apiTokens = apiTokenModel(connection);
    for (const model of [jobs, executions, auditLogs, users, apiTokens]) {
      await model.createCollection().catch((err: { codeName?: string }) => {
        if (err.codeName !== 'NamespaceExists') throw err;
      });
      await model.createIndexes();
    }
    return new Store(
      connection,
      new JobRepository(jobs),
      new ExecutionRepository(executions),
      new AuditLogRepository(auditLogs),
      new UserRepository(users),
      new ApiTokenRepository(apiTokens),
    );
  }

  async ping(): Promise<void> {
    await this.connection.db?.admin().ping();
  }

  /** True for errors that mean "MongoDB cannot be reached right now", as opposed to a bad query. */
  static isUnavailable(err: unknown): boolean {
    const name = (err as { name?: unknown })?.name;
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

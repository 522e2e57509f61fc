import type { Role } from '@tickwork/domain';
import type { Store, UserRecord } from '@tickwork/store';
import { assertPassword, assertUsername, MAX_PASSWORD_LENGTH } from '../auth/credentials.js';
import { ApiError } from '../errors/api-error.js';
import type { PasswordHasher } from './password-hasher.js';

export interface UserView {
  username: string;
  role: Role;
  created_time: string;
}

function userView(user: UserRecord): UserView {
  return { username: user._id, role: user.role, created_time: user.created_time.toISOString() };
}

/**
 * Runs `work` alone among the user changes of every API process (a Redis lock; see the user-service
 * plugin), or refuses it with an ApiError.
 */
export type UserWriteLock = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Users and their passwords: login checks, the admin API, the CLI and the ADMIN_USERNAME bootstrap.
 *
 * Every update and removal of a user runs under `writeLock`, the check that keeps an admin included: on
 * FerretDB a conditional update is not atomic, so "demote unless last admin" cannot be one store write, and
 * two admins demoting each other at once would both see two admins. Under the lock they take turns, and
 * the second sees one. Adding a user needs no lock: an insert is atomic (the unique _id).
 */
export class UserService {
  /** Once a user exists authentication stays on (the last admin cannot be removed), so `true` is cached. */
  private someoneExists = false;
  /**
   * While there are none, MongoDB is asked at most once a second rather than on every request: a user added
   * by another process (or the CLI) turns authentication on here within a second; one added here, at once.
   */
  private lastCount = 0;

  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    /** Absent for the add-user CLI, which only adds. */
    private readonly writeLock?: UserWriteLock,
  ) {}

  /** Authentication is on as soon as any user exists. */
  async anyUsers(): Promise<boolean> {
    if (!this.someoneExists && Date.now() - this.lastCount >= 1000) {
      this.someoneExists = (await this.store.users.count()) > 0;
      this.lastCount = Date.now();
    }
    return this.someoneExists;
  }

  /**
   * The user whose password this is, or null. An unknown name and a wrong password take the same path
   * through the hasher, so neither the answer nor its timing tells which it was.
   */
  async authenticate(username: string, password: string): Promise<UserRecord | null> {
    const user = password.length > MAX_PASSWORD_LENGTH ? null : await this.store.users.get(username);
    if (!user) {
      await this.hasher.verifyDummy(password.slice(0, MAX_PASSWORD_LENGTH));
      return null;
    }
    return (await this.hasher.verify(user.password_hash, password)) ? user : null;
  }

  async get(username: string): Promise<UserRecord | null> {
    return this.store.users.get(username);
  }

  async list(): Promise<UserView[]> {
    return (await this.store.users.list()).map(userView);
  }

  async add(username: string, password: string, role: Role): Promise<void> {
    assertUsername(username);
    assertPassword(password);
    const added = await this.store.users.insert({ username, role, password_hash: await this.hasher.hash(password) });
    if (!added) throw ApiError.badRequest(`User already exists: ${username}`);
    this.someoneExists = true;
  }

  /** ADMIN_USERNAME/ADMIN_PASSWORD: that admin is created when absent; an existing user is left as it is. */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    assertUsername(username, 'ADMIN_USERNAME');
    assertPassword(password, 'ADMIN_PASSWORD');
    if (await this.store.users.get(username)) return false;
    // Another API process may create it at the same moment: the unique _id settles it.
    const added = await this.store.users.insert({
      username,
      role: 'admin',
      password_hash: await this.hasher.hash(password),
    });
    this.someoneExists = true;
    return added;
  }

  /**
   * An admin changes a user: its role, its password (no old one needed; that user's sessions end), or both.
   * Returns the user's role after the change.
   */
  async update(username: string, changes: { role?: Role; password?: string }): Promise<Role> {
    const { role, password } = changes;
    if (role === undefined && password === undefined) throw ApiError.badRequest('role or password is required');
    if (password !== undefined) assertPassword(password);
    const hash = password === undefined ? undefined : await this.hasher.hash(password);
    return this.exclusive(async () => {
      const user = await this.existing(username);
      if (role !== undefined) {
        if (user.role === 'admin' && role !== 'admin') await this.assertNotLastAdmin(username);
        if (!(await this.store.users.setRole(username, role))) throw notFound(username);
      }
      if (hash !== undefined) await this.storeHash(username, hash);
      return role ?? user.role;
    });
  }

  async remove(username: string): Promise<void> {
    await this.exclusive(async () => {
      const user = await this.existing(username);
      if (user.role === 'admin') await this.assertNotLastAdmin(username);
      if (!(await this.store.users.delete(username))) throw notFound(username);
    });
  }

  /**
   * Changes one's own password; the old one must be right, else null. Returns the new session key: every
   * session of the user ends but the one the caller goes on with.
   */
  async changePassword(username: string, oldPassword: string, newPassword: string): Promise<string | null> {
    assertPassword(newPassword, 'new_password');
    const user = await this.existing(username);
    if (!(await this.hasher.verify(user.password_hash, oldPassword))) return null;
    const hash = await this.hasher.hash(newPassword);
    return this.exclusive(() => this.storeHash(username, hash));
  }

  /** A new hash and session nonce: the nonce. */
  private async storeHash(username: string, hash: string): Promise<string> {
    const nonce = await this.store.users.setPassword(username, hash);
    if (nonce === null) throw notFound(username);
    return nonce;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!this.writeLock) throw new Error('changing a user needs the fleet-wide user lock (Redis)');
    return this.writeLock(work);
  }

  private async existing(username: string): Promise<UserRecord> {
    const user = await this.store.users.get(username);
    if (!user) throw notFound(username);
    return user;
  }

  private async assertNotLastAdmin(username: string): Promise<void> {
    // Without an admin nobody could manage users again, and authentication could not be turned off either.
    if ((await this.store.users.countWithRole('admin')) <= 1) {
      throw ApiError.badRequest(`${username} is the last admin: make another user admin first`);
    }
  }
}

function notFound(username: string): ApiError {
  return ApiError.badRequest(`User not found: ${username}`);
}

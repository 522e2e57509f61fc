import { randomBytes } from 'node:crypto';
import type { Role } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { UserDocument } from '../models/user-model.js';
import { isDuplicateKey } from './duplicate-key.js';

export type UserRecord = UserDocument;

/** A fresh session nonce: 128 random bits. */
function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * What a session of this user must hold to be valid: the user's nonce; for a user stored before nonces
 * existed, its credentials version (a string either way, so a session that holds neither never matches).
 */
export function sessionKeyOf(user: UserRecord): string {
  return user.session_nonce ?? `v${user.credentials_version ?? 1}`;
}

/**
 * Users. On FerretDB an update is a read, a change in Go and a write of the whole document, so two updates
 * of one user at once can lose one: callers serialise every update and delete (the API does so under a
 * Redis lock, see UserService); an insert is atomic (the unique _id).
 */
export class UserRepository {
  constructor(private readonly model: Model<UserDocument>) {}

  /** Adds a user, with a new session nonce; false when the name is taken. */
  async insert(user: { username: string; role: Role; password_hash: string }): Promise<boolean> {
    const now = new Date();
    try {
      await this.model.create({
        _id: user.username,
        role: user.role,
        password_hash: user.password_hash,
        session_nonce: newNonce(),
        created_time: now,
        updated_time: now,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async get(username: string): Promise<UserRecord | null> {
    return this.model.findById(username).lean<UserRecord>();
  }

  async list(): Promise<UserRecord[]> {
    return this.model.find().sort({ _id: 1 }).lean<UserRecord[]>();
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }

  async countWithRole(role: Role): Promise<number> {
    return this.model.countDocuments({ role });
  }

  async setRole(username: string, role: Role): Promise<boolean> {
    const result = await this.model.updateOne({ _id: username }, { $set: { role, updated_time: new Date() } });
    return result.matchedCount === 1;
  }

  /**
   * Stores a new hash and draws a new session nonce, which ends the user's sessions: the new nonce, or null
   * when there is no such user.
   */
  async setPassword(username: string, passwordHash: string): Promise<string | null> {
    const nonce = newNonce();
    const result = await this.model.updateOne(
      { _id: username },
      { $set: { password_hash: passwordHash, session_nonce: nonce, updated_time: new Date() } },
    );
    return result.matchedCount === 1 ? nonce : null;
  }

  async delete(username: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: username });
    return result.deletedCount === 1;
  }
}

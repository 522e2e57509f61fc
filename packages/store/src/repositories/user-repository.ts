import type { Role } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { UserDocument } from '../models/user-model.js';
import { isDuplicateKey } from './duplicate-key.js';

export type UserRecord = UserDocument;

export class UserRepository {
  constructor(private readonly model: Model<UserDocument>) {}

  /** Adds a user; false when the name is taken. */
  async insert(user: { username: string; role: Role; password_hash: string }): Promise<boolean> {
    const now = new Date();
    try {
      await this.model.create({
        _id: user.username,
        role: user.role,
        password_hash: user.password_hash,
        credentials_version: 1,
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

  /** Stores a new hash and raises the credentials version, which ends the user's other sessions. */
  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: username },
      { $set: { password_hash: passwordHash, updated_time: new Date() }, $inc: { credentials_version: 1 } },
    );
    return result.matchedCount === 1;
  }

  async delete(username: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: username });
    return result.deletedCount === 1;
  }
}

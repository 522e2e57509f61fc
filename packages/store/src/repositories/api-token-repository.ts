import type { Role } from '@tickwork/domain';
import type { Model } from 'mongoose';
import type { ApiTokenDocument } from '../models/api-token-model.js';
import { isDuplicateKey } from './duplicate-key.js';

export type ApiTokenRecord = ApiTokenDocument;

export class ApiTokenRepository {
  constructor(private readonly model: Model<ApiTokenDocument>) {}

  /** Adds a token; false when the name is taken. */
  async insert(token: {
    name: string;
    role: Role;
    token_hash: string;
    created_by: string;
    expires_at: Date | null;
  }): Promise<boolean> {
    try {
      await this.model.create({
        _id: token.name,
        role: token.role,
        token_hash: token.token_hash,
        created_by: token.created_by,
        created_time: new Date(),
        expires_at: token.expires_at,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async findByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    return this.model.findOne({ token_hash: tokenHash }).lean<ApiTokenRecord>();
  }

  async list(): Promise<ApiTokenRecord[]> {
    return this.model.find().sort({ _id: 1 }).lean<ApiTokenRecord[]>();
  }

  async listCreatedBy(createdBy: string): Promise<ApiTokenRecord[]> {
    return this.model.find({ created_by: createdBy }).sort({ _id: 1 }).lean<ApiTokenRecord[]>();
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: name });
    return result.deletedCount === 1;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@tickwork/domain';
import type { ApiTokenRecord, Store } from '@tickwork/store';
import { assertTokenName } from '../auth/credentials.js';
import { ApiError } from '../errors/api-error.js';

export interface ApiTokenView {
  name: string;
  role: Role;
  created_by: string;
  created_time: string;
}

const PREFIX = 'twk_';

/**
 * API tokens for machines. A token is 32 random bytes, shown once; only its SHA-256 is stored — enough for a
 * secret that is random rather than chosen by a person, and it lets a request find its token by one lookup.
 */
export class ApiTokenService {
  constructor(private readonly store: Store) {}

  async create(name: string, role: Role, createdBy: string): Promise<string> {
    assertTokenName(name);
    const token = PREFIX + randomBytes(32).toString('base64url');
    const added = await this.store.apiTokens.insert({ name, role, token_hash: digest(token), created_by: createdBy });
    if (!added) throw ApiError.badRequest(`Token already exists: ${name}`);
    return token;
  }

  /** The token record for a presented token, or null. */
  async find(token: string): Promise<ApiTokenRecord | null> {
    if (!token.startsWith(PREFIX) || token.length > 100) return null;
    return this.store.apiTokens.findByHash(digest(token));
  }

  async list(): Promise<ApiTokenView[]> {
    return (await this.store.apiTokens.list()).map((t) => ({
      name: t._id,
      role: t.role,
      created_by: t.created_by,
      created_time: t.created_time.toISOString(),
    }));
  }

  async revoke(name: string): Promise<void> {
    if (!(await this.store.apiTokens.delete(name))) throw ApiError.badRequest(`Token not found: ${name}`);
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

import { createHash, randomBytes } from 'node:crypto';
import { parseTime, type Role } from '@tickwork/domain';
import type { ApiTokenRecord, Store } from '@tickwork/store';
import { assertTokenName } from '../auth/credentials.js';
import { ApiError } from '../errors/api-error.js';

export interface ApiTokenView {
  name: string;
  role: Role;
  created_by: string;
  created_time: string;
  /** null: it never expires. */
  expires_at: string | null;
  expired: boolean;
}

/** When a token stops working: in so many days, or at a time; neither, never. */
export interface TokenExpiry {
  expires_in_days?: number | undefined;
  expires_at?: string | undefined;
}

const PREFIX = 'twk_';
const DAY_MS = 86_400_000;

/**
 * API tokens for machines. A token is 32 random bytes, shown once; only its SHA-256 is stored — enough for a
 * secret that is random rather than chosen by a person, and it lets a request find its token by one lookup.
 * A token may expire; an expired one is refused like an unknown one, and listed as expired until revoked.
 */
export class ApiTokenService {
  constructor(private readonly store: Store) {}

  async create(
    name: string,
    role: Role,
    createdBy: string,
    expiry: TokenExpiry = {},
  ): Promise<{ token: string; expires_at: Date | null }> {
    assertTokenName(name);
    const expiresAt = expiryTime(expiry);
    const token = PREFIX + randomBytes(32).toString('base64url');
    const added = await this.store.apiTokens.insert({
      name,
      role,
      token_hash: digest(token),
      created_by: createdBy,
      expires_at: expiresAt,
    });
    if (!added) throw ApiError.badRequest(`Token already exists: ${name}`);
    return { token, expires_at: expiresAt };
  }

  /** The token record for a presented token, or null: unknown, revoked or expired. */
  async find(token: string): Promise<ApiTokenRecord | null> {
    if (!token.startsWith(PREFIX) || token.length > 100) return null;
    const record = await this.store.apiTokens.findByHash(digest(token));
    return record && !isExpired(record) ? record : null;
  }

  async list(): Promise<ApiTokenView[]> {
    return (await this.store.apiTokens.list()).map(tokenView);
  }

  /** The tokens `username` created. */
  async createdBy(username: string): Promise<ApiTokenView[]> {
    return (await this.store.apiTokens.listCreatedBy(username)).map(tokenView);
  }

  async revoke(name: string): Promise<void> {
    if (!(await this.store.apiTokens.delete(name))) throw ApiError.badRequest(`Token not found: ${name}`);
  }
}

function tokenView(t: ApiTokenRecord): ApiTokenView {
  return {
    name: t._id,
    role: t.role,
    created_by: t.created_by,
    created_time: t.created_time.toISOString(),
    expires_at: t.expires_at ? t.expires_at.toISOString() : null,
    expired: isExpired(t),
  };
}

function isExpired(token: ApiTokenRecord, now = Date.now()): boolean {
  return token.expires_at != null && token.expires_at.getTime() <= now;
}

function expiryTime(expiry: TokenExpiry, now = Date.now()): Date | null {
  const { expires_in_days: days, expires_at: at } = expiry;
  if (days !== undefined && at !== undefined) throw ApiError.badRequest('give expires_in_days or expires_at, not both');
  if (days !== undefined) return new Date(now + days * DAY_MS);
  if (at === undefined) return null;
  const ms = parseTime(at);
  if (ms === null) throw ApiError.badRequest(`expires_at is not an ISO-8601 time: ${JSON.stringify(at)}`);
  if (ms <= now) throw ApiError.badRequest('expires_at must be in the future');
  return new Date(ms);
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

import type { Role } from '@tickwork/domain';
import { type Connection, type Model, Schema } from 'mongoose';

export interface ApiTokenDocument {
  /** The token's name, as the audit log shows it (`token:<name>`). */
  _id: string;
  role: Role;
  /** SHA-256 of the token, hex: the token itself is shown once and never stored. */
  token_hash: string;
  /** Who created it: a user's name, or `token:<name>`. */
  created_by: string;
  created_time: Date;
  /** When it stops working; null or absent: never. */
  expires_at?: Date | null;
}

const apiTokenSchema = new Schema<ApiTokenDocument>(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true },
    token_hash: { type: String, required: true },
    created_by: { type: String, default: '' },
    created_time: { type: Date, required: true },
    expires_at: { type: Date, default: null },
  },
  { collection: 'api_tokens', versionKey: false, minimize: false },
);
apiTokenSchema.index({ token_hash: 1 }, { unique: true });
// The tokens a user made, named when the user is removed.
apiTokenSchema.index({ created_by: 1 });

export function apiTokenModel(connection: Connection): Model<ApiTokenDocument> {
  return connection.model<ApiTokenDocument>('ApiToken', apiTokenSchema);
}

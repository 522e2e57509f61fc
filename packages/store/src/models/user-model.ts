import type { Role } from '@tickwork/domain';
import { type Connection, type Model, Schema } from 'mongoose';

export interface UserDocument {
  /** The login name. */
  _id: string;
  role: Role;
  /** argon2id, in PHC string form. */
  password_hash: string;
  /**
   * Random, drawn when the user is created and again at every password change: a session is valid only
   * while it holds the user's current nonce, so a password change ends the others, and a user removed and
   * added again under the same name does not get the old sessions back. Users stored before it had none.
   */
  session_nonce?: string;
  /** Before session_nonce: raised on every password change (kept for users stored then). */
  credentials_version?: number;
  created_time: Date;
  updated_time: Date;
}

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true },
    password_hash: { type: String, required: true },
    session_nonce: { type: String },
    credentials_version: { type: Number },
    created_time: { type: Date, required: true },
    updated_time: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, minimize: false },
);
userSchema.index({ role: 1 });

export function userModel(connection: Connection): Model<UserDocument> {
  return connection.model<UserDocument>('User', userSchema);
}

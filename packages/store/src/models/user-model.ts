import type { Role } from '@tickwork/domain';
import { type Connection, type Model, Schema } from 'mongoose';

export interface UserDocument {
  /** The login name. */
  _id: string;
  role: Role;
  /** argon2id, in PHC string form. */
  password_hash: string;
  /** Raised on every password change: sessions opened under an older version end. */
  credentials_version: number;
  created_time: Date;
  updated_time: Date;
}

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true },
    password_hash: { type: String, required: true },
    credentials_version: { type: Number, required: true, default: 1 },
    created_time: { type: Date, required: true },
    updated_time: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, minimize: false },
);
userSchema.index({ role: 1 });

export function userModel(connection: Connection): Model<UserDocument> {
  return connection.model<UserDocument>('User', userSchema);
}

import { Type } from 'typebox';
import { RoleSchema } from '../users/schema.js';

export const TokenNameParams = Type.Object({ name: Type.String() });

export const createTokenSchema = { body: Type.Object({ name: Type.String(), role: RoleSchema }) };
export const tokenByNameSchema = { params: TokenNameParams };

import { ROLES } from '@tickwork/domain';
import { Type } from 'typebox';

export const RoleSchema = Type.Enum(ROLES);
export const UsernameParams = Type.Object({ username: Type.String() });

export const addUserSchema = {
  body: Type.Object({ username: Type.String(), password: Type.String(), role: RoleSchema }),
};
export const setRoleSchema = { params: UsernameParams, body: Type.Object({ role: RoleSchema }) };
export const userByNameSchema = { params: UsernameParams };

import { ROLES } from '@tickwork/domain';
import { Type } from 'typebox';
import { replies } from '../reply-schemas.js';

export const RoleSchema = Type.Enum(ROLES);
export const UsernameParams = Type.Object({ username: Type.String() });

const UserView = Type.Object(
  { username: Type.String(), role: RoleSchema, created_time: Type.String() },
  { examples: [{ username: 'ops', role: 'editor', created_time: '2026-11-27T10:00:00.000Z' }] },
);
const tags = ['users'];

export const listUsersSchema = {
  tags,
  summary: 'All users (admins)',
  response: replies({ 200: Type.Object({ users: Type.Array(UserView) }) }),
};
export const addUserSchema = {
  tags,
  summary: 'Add a user (admins)',
  body: Type.Object(
    { username: Type.String(), password: Type.String(), role: RoleSchema },
    { examples: [{ username: 'ops', password: 'Very$ecret', role: 'editor' }] },
  ),
  response: replies({
    201: Type.Object(
      { username: Type.String(), role: RoleSchema },
      { examples: [{ username: 'ops', role: 'editor' }] },
    ),
  }),
};
export const updateUserSchema = {
  tags,
  summary: "Set a user's role, or password (ending that user's sessions), or both (admins)",
  params: UsernameParams,
  body: Type.Object(
    { role: Type.Optional(RoleSchema), password: Type.Optional(Type.String()) },
    { examples: [{ role: 'viewer' }, { password: 'A new $ecret' }] },
  ),
  response: replies({
    200: Type.Object(
      { username: Type.String(), role: RoleSchema },
      { examples: [{ username: 'ops', role: 'viewer' }] },
    ),
  }),
};
export const removeUserSchema = {
  tags,
  summary: 'Remove a user (admins): names the API tokens the user created, and revokes them with revoke_tokens=true',
  params: UsernameParams,
  querystring: Type.Object({
    revoke_tokens: Type.Optional(
      Type.Enum(['true', 'false'], { description: 'also revoke the API tokens the user created (default false)' }),
    ),
  }),
  response: replies({
    200: Type.Object(
      {
        username: Type.String(),
        tokens: Type.Array(Type.String(), { description: 'the API tokens the user created' }),
        tokens_revoked: Type.Boolean({ description: 'whether those tokens were revoked (else they keep working)' }),
      },
      { examples: [{ username: 'ops', tokens: ['ci'], tokens_revoked: false }] },
    ),
  }),
};

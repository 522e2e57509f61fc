import { Type } from 'typebox';
import { replies } from '../reply-schemas.js';
import { RoleSchema } from '../users/schema.js';

export const TokenNameParams = Type.Object({ name: Type.String() });

const tags = ['tokens'];
const TokenView = Type.Object(
  { name: Type.String(), role: RoleSchema, created_by: Type.String(), created_time: Type.String() },
  { examples: [{ name: 'ci', role: 'editor', created_by: 'admin', created_time: '2026-11-27T10:00:00.000Z' }] },
);

export const listTokensSchema = {
  tags,
  summary: 'All API tokens, without their secrets (admins)',
  response: replies({ 200: Type.Object({ tokens: Type.Array(TokenView) }) }),
};
export const createTokenSchema = {
  tags,
  summary: 'Create an API token: the answer is the only time it is shown (admins)',
  body: Type.Object({ name: Type.String(), role: RoleSchema }, { examples: [{ name: 'ci', role: 'editor' }] }),
  response: replies({
    201: Type.Object(
      { name: Type.String(), role: RoleSchema, token: Type.String() },
      { examples: [{ name: 'ci', role: 'editor', token: 'twk_...' }] },
    ),
  }),
};
export const tokenByNameSchema = {
  tags,
  summary: 'Revoke an API token (admins)',
  params: TokenNameParams,
  response: replies({ 200: Type.Object({ name: Type.String() }, { examples: [{ name: 'ci' }] }) }),
};

import { Type } from 'typebox';
import { replies } from '../reply-schemas.js';
import { RoleSchema } from '../users/schema.js';

export const TokenNameParams = Type.Object({ name: Type.String() });

const tags = ['tokens'];
export const TokenView = Type.Object(
  {
    name: Type.String(),
    role: RoleSchema,
    created_by: Type.String(),
    created_time: Type.String(),
    expires_at: Type.Union([Type.String(), Type.Null()], { description: 'null: never' }),
    expired: Type.Boolean({ description: 'refused since expires_at (revoke it to remove it)' }),
  },
  {
    examples: [
      {
        name: 'ci',
        role: 'editor',
        created_by: 'admin',
        created_time: '2026-11-27T10:00:00.000Z',
        expires_at: '2027-02-25T10:00:00.000Z',
        expired: false,
      },
    ],
  },
);

export const listTokensSchema = {
  tags,
  summary: 'All API tokens, without their secrets (admins)',
  response: replies({ 200: Type.Object({ tokens: Type.Array(TokenView) }) }),
};
export const createTokenSchema = {
  tags,
  summary: 'Create an API token: the answer is the only time it is shown (admins); it may expire',
  body: Type.Object(
    {
      name: Type.String(),
      role: RoleSchema,
      expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })),
      expires_at: Type.Optional(Type.String({ maxLength: 64, description: 'an ISO-8601 time in the future' })),
    },
    { examples: [{ name: 'ci', role: 'editor', expires_in_days: 90 }] },
  ),
  response: replies({
    201: Type.Object(
      {
        name: Type.String(),
        role: RoleSchema,
        token: Type.String(),
        expires_at: Type.Union([Type.String(), Type.Null()]),
      },
      { examples: [{ name: 'ci', role: 'editor', token: 'twk_...', expires_at: '2027-02-25T10:00:00.000Z' }] },
    ),
  }),
};
export const tokenByNameSchema = {
  tags,
  summary: 'Revoke an API token (admins)',
  params: TokenNameParams,
  response: replies({ 200: Type.Object({ name: Type.String() }, { examples: [{ name: 'ci' }] }) }),
};

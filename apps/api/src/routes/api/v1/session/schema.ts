import { Type } from 'typebox';
import { replies } from '../reply-schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const sessionSchema = {
  tags: ['authentication'],
  summary: 'Who this request acts as, and the CSRF token for cookie-authenticated writes without a JSON body',
  response: replies({
    200: Type.Object(
      {
        user: Nullable(Type.String()),
        role: Nullable(Type.String()),
        via: Nullable(Type.String({ description: 'session or token' })),
        csrf_token: Nullable(Type.String()),
      },
      { examples: [{ user: 'admin', role: 'admin', via: 'session', csrf_token: 'Zm9vYmFy' }] },
    ),
  }),
};

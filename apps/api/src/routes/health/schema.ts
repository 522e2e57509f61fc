import { Type } from 'typebox';
import { ErrorReply } from '../api/v1/reply-schemas.js';

const tags = ['operations'];
const Check = Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]);

export const healthzSchema = {
  tags,
  summary: 'The process serves requests',
  response: { 200: Type.Object({ status: Type.Literal('ok') }) },
};
export const readyzSchema = {
  tags,
  summary: 'MongoDB and Redis answer (503 naming which does not, within 2 s)',
  response: {
    200: Type.Object({ status: Type.Literal('ready'), mongodb: Check, redis: Check }),
    503: Type.Object(
      { error: ErrorReply.properties.error, mongodb: Check, redis: Check },
      { examples: [{ error: 'not ready: mongodb unavailable', mongodb: 'unavailable', redis: 'ok' }] },
    ),
  },
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createTokenSchema, listTokensSchema, tokenByNameSchema } from './schema.js';

/** /api/v1/tokens: admins create named API tokens (the token is in the answer, once) and revoke them. */
const tokens: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { access: 'admin' } as const;

  app.get('/', { schema: listTokensSchema, config: admin }, async () => ({ tokens: await app.apiTokenService.list() }));

  app.post('/', { schema: createTokenSchema, config: admin }, async (request, reply) => {
    const { name, role, expires_in_days, expires_at } = request.body;
    const created = await app.apiTokenService.create(name, role, request.auditUser, { expires_in_days, expires_at });
    const expires = created.expires_at?.toISOString() ?? null;
    request.log.info({ token: name, role, expires_at: expires, by: request.auditUser }, 'API token created');
    return reply.code(201).send({ name, role, token: created.token, expires_at: expires });
  });

  app.delete('/:name', { schema: tokenByNameSchema, config: admin }, async (request) => {
    await app.apiTokenService.revoke(request.params.name);
    request.log.info({ token: request.params.name, by: request.auditUser }, 'API token revoked');
    return { name: request.params.name };
  });
};

export default tokens;

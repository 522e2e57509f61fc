import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../errors/api-error.js';
import { addUserSchema, listUsersSchema, removeUserSchema, updateUserSchema } from './schema.js';

/** /api/v1/users: admins list, add and remove users and set their role or password. */
const users: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { access: 'admin' } as const;

  app.get('/', { schema: listUsersSchema, config: admin }, async () => ({ users: await app.userService.list() }));

  app.post('/', { schema: addUserSchema, config: admin }, async (request, reply) => {
    const { username, password, role } = request.body;
    await app.userService.add(username, password, role);
    request.log.info({ user: username, role, by: request.auditUser }, 'user added');
    return reply.code(201).send({ username, role });
  });

  app.patch('/:username', { schema: updateUserSchema, config: admin }, async (request) => {
    const { username } = request.params;
    const { role, password } = request.body;
    const principal = request.principal;
    if (password !== undefined && principal?.via === 'session' && principal.name === username) {
      // Without the old password a stolen session could take the account for good.
      throw ApiError.badRequest('to change your own password use POST /passwd, with old_password');
    }
    const now = await app.userService.update(username, { role, password });
    request.log.info(
      { user: username, role, password_reset: password !== undefined, by: request.auditUser },
      'user changed',
    );
    return { username, role: now };
  });

  app.delete('/:username', { schema: removeUserSchema, config: admin }, async (request) => {
    const { username } = request.params;
    const revoke = request.query.revoke_tokens === 'true';
    await app.userService.remove(username);
    // Tokens outlive their creator unless revoked: the answer names them either way.
    const tokens = (await app.apiTokenService.createdBy(username)).map((token) => token.name);
    if (revoke) for (const name of tokens) await app.apiTokenService.revoke(name).catch(ignoreGone);
    request.log.info({ user: username, tokens, tokens_revoked: revoke, by: request.auditUser }, 'user removed');
    return { username, tokens, tokens_revoked: revoke };
  });
};

export default users;

/** A token revoked by someone else meanwhile is as good as revoked. */
function ignoreGone(err: unknown): void {
  if (!(err instanceof ApiError && err.statusCode === 400)) throw err;
}

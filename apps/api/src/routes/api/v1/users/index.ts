import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../errors/api-error.js';
import { addUserSchema, listUsersSchema, updateUserSchema, userByNameSchema } from './schema.js';

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

  app.delete('/:username', { schema: userByNameSchema, config: admin }, async (request) => {
    const { username } = request.params;
    await app.userService.remove(username);
    request.log.info({ user: username, by: request.auditUser }, 'user removed');
    return { username };
  });
};

export default users;

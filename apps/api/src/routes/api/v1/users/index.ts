import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addUserSchema, setRoleSchema, userByNameSchema } from './schema.js';

/** /api/v1/users: admins list, add and remove users and set their role. */
const users: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { access: 'admin' } as const;

  app.get('/', { config: admin }, async () => ({ users: await app.userService.list() }));

  app.post('/', { schema: addUserSchema, config: admin }, async (request, reply) => {
    const { username, password, role } = request.body;
    await app.userService.add(username, password, role);
    request.log.info({ user: username, role, by: request.auditUser }, 'user added');
    return reply.code(201).send({ username, role });
  });

  app.patch('/:username', { schema: setRoleSchema, config: admin }, async (request) => {
    const { username } = request.params;
    await app.userService.setRole(username, request.body.role);
    request.log.info({ user: username, role: request.body.role, by: request.auditUser }, 'role set');
    return { username, role: request.body.role };
  });

  app.delete('/:username', { schema: userByNameSchema, config: admin }, async (request) => {
    const { username } = request.params;
    await app.userService.remove(username);
    request.log.info({ user: username, by: request.auditUser }, 'user removed');
    return { username };
  });
};

export default users;

import type { Role } from '@tickwork/domain';

/** What a route needs: a role (or more), or nothing at all (`public`: the login and logout endpoints). */
export type Access = Role | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Unset means `admin`: a route that forgets to say is closed, not open. */
    access?: Access;
  }
}

export function accessOf(config: { access?: Access } | undefined): Access {
  return config?.access ?? 'admin';
}

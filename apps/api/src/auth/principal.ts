import type { Role } from '@tickwork/domain';

/** Who a request acts as once authenticated: a logged-in user, or an API token. */
export interface Principal {
  name: string;
  role: Role;
  via: 'session' | 'token';
}

/** The name the audit log shows: the login name, or `token:<name>` for a machine. */
export function auditName(principal: Principal): string {
  return principal.via === 'token' ? `token:${principal.name}` : principal.name;
}

/**
 * Who asks for a change: the name the audit log shows, and the role it acts with — null while no users
 * exist, when everything is open (ndscheduler's way).
 */
export interface Actor {
  name: string;
  role: Role | null;
}

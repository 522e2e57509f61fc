/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export type ListenDecision =
  | { allowed: true; message: string; level: 'info' | 'warn' }
  | { allowed: false; message: string };

/**
 * Without users there is no authentication, so the API stays on loopback unless the operator says
 * ALLOW_ANONYMOUS=true; with users, sessions need the operator's SESSION_SECRET.
 */
export function listenDecision(options: {
  host: string;
  users: number;
  allowAnonymous: boolean;
  sessionSecret: string | undefined;
}): ListenDecision {
  const { host, users, allowAnonymous, sessionSecret } = options;
  if (users > 0) {
    if (!sessionSecret) {
      return {
        allowed: false,
        message: `SESSION_SECRET is required (at least 32 characters): ${users} user(s) exist, so authentication is on`,
      };
    }
    return { allowed: true, level: 'info', message: `authentication is on (${users} user(s))` };
  }
  if (isLoopback(host)) {
    return {
      allowed: true,
      level: 'info',
      message: `no users, so authentication is off: listening on loopback only (${host}); add a user to turn it on`,
    };
  }
  if (allowAnonymous) {
    return {
      allowed: true,
      level: 'warn',
      message: `no users and ALLOW_ANONYMOUS=true: anyone who reaches ${host} has full access`,
    };
  }
  return {
    allowed: false,
    message: `no users exist, so authentication is off: refusing to listen on HOST=${host}. Set ADMIN_USERNAME, ADMIN_PASSWORD and SESSION_SECRET, add a user, listen on 127.0.0.1, or set ALLOW_ANONYMOUS=true`,
  };
}

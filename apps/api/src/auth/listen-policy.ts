/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether an API without users answers a request with this Host header: a loopback name or address with
 * the port it listens on, or a value in ALLOWED_HOSTS (one without a port allows any). A browser page of
 * any site can reach a loopback port through a domain it rebinds to 127.0.0.1, but it cannot make the
 * browser send that Host: the page's own host goes with the request.
 */
export function hostAllowed(
  host: string | undefined,
  listeningPort: number | undefined,
  allowed: readonly string[],
): boolean {
  if (host === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match) return false;
  const [, name = '', port = '80'] = match;
  if (isLoopback(name.replace(/^\[(.*)\]$/, '$1')) && Number(port) === listeningPort) return true;
  return allowed.includes(name) || allowed.includes(`${name}:${port}`);
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
      message: `no users, so authentication is off: listening on loopback only (${host}), answering only requests addressed to it (or to ALLOWED_HOSTS); add a user to turn it on`,
    };
  }
  if (allowAnonymous) {
    return {
      allowed: true,
      level: 'warn',
      message: `no users and ALLOW_ANONYMOUS=true: anyone who reaches ${host} has full access, but only under a loopback name or a host in ALLOWED_HOSTS (the Host header; against DNS rebinding)`,
    };
  }
  return {
    allowed: false,
    message: `no users exist, so authentication is off: refusing to listen on HOST=${host}. Set ADMIN_USERNAME, ADMIN_PASSWORD and SESSION_SECRET, add a user, listen on 127.0.0.1, or set ALLOW_ANONYMOUS=true`,
  };
}

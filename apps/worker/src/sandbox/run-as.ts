import { execFileSync } from 'node:child_process';
import { ConfigError } from '@tickwork/config';
import type { JobIdentity } from './job-environment.js';

/** The user job processes become (JOB_RUN_AS): ids to switch to, and the identity their environment shows. */
export interface RunAs extends JobIdentity {
  uid: number;
  gid: number;
}

/** The passwd entry of a name or uid, through NSS (so LDAP and the like count too); null when none. */
function passwdEntry(user: string): { name: string; uid: number; gid: number; home: string; shell: string } | null {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null; // getent exits 2 for an unknown user
  }
  const [name, , uid, gid, , home, shell] = line.trim().split(':');
  if (name === undefined || uid === undefined || gid === undefined) return null;
  return { name, uid: Number(uid), gid: Number(gid), home: home || '/', shell: shell || '/bin/sh' };
}

/**
 * Resolves JOB_RUN_AS at worker start, with an error naming the variable when the user is unknown or the
 * worker could not switch to it (only root can). A uid with no passwd entry is taken as given (containers),
 * its gid being the one given or the uid.
 */
export function resolveRunAs(spec: string): RunAs {
  const uid = process.getuid?.();
  if (uid !== 0) {
    throw new ConfigError(
      'JOB_RUN_AS',
      `only a worker running as root can run jobs as another user; this one runs as uid ${uid}`,
    );
  }
  const [user = '', group] = spec.split(':');
  const entry = passwdEntry(user);
  const numeric = /^\d+$/.test(user);
  if (!entry && !numeric) throw new ConfigError('JOB_RUN_AS', `no user named ${JSON.stringify(user)}`);
  const runAs: RunAs = entry
    ? { ...entry, gid: group === undefined ? entry.gid : Number(group) }
    : { uid: Number(user), gid: Number(group ?? user), name: user, home: '/', shell: '/bin/sh' };
  if (runAs.uid === 0)
    throw new ConfigError('JOB_RUN_AS', `${spec} is root: name the unprivileged user jobs should run as`);
  return runAs;
}

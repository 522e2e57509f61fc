/**
 * What a program needs to behave as in a login shell — find programs (PATH), know its user and home, speak
 * the right locale and time zone, put temporary files somewhere, drive a terminal — and nothing of the
 * worker's own: its connection strings and secrets would be readable by anyone who may write a job.
 */
const ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'TERM',
]);

/** Who a job runs as (JOB_RUN_AS): these replace the worker's own HOME, USER, LOGNAME and SHELL. */
export interface JobIdentity {
  name: string;
  home: string;
  shell: string;
}

/**
 * A job process's environment: the allow-list above and LC_*, plus the variables named in
 * JOB_ENV_PASSTHROUGH, taken from the worker's environment; with JOB_RUN_AS, that user's identity.
 */
export function jobEnvironment(
  env: NodeJS.ProcessEnv,
  passthrough: readonly string[],
  identity?: JobIdentity,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (ALLOWED.has(name) || name.startsWith('LC_') || passthrough.includes(name)) picked[name] = value;
  }
  if (identity) {
    picked.HOME = identity.home;
    picked.USER = identity.name;
    picked.LOGNAME = identity.name;
    picked.SHELL = identity.shell;
  }
  return picked;
}

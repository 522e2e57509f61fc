/**
 * Who may do what, each role including the ones below it: a viewer reads; an editor also changes and runs
 * jobs and stops runs; an admin also manages users, API tokens and sees Bull Board.
 */
export const ROLES = ['viewer', 'editor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may do what `needed` may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * The role a job class may require of whoever creates, changes or runs its jobs: `admin` for classes that
 * run whatever they are given (a program, a URL), `editor` for the rest.
 */
export const CLASS_ROLES = ['editor', 'admin'] as const;

export type ClassRole = (typeof CLASS_ROLES)[number];

export function isClassRole(value: unknown): value is ClassRole {
  return typeof value === 'string' && (CLASS_ROLES as readonly string[]).includes(value);
}

/**
 * Why a run of a job is refused: its class needs `classRole`, and whoever last created or changed the job
 * had less. Null when it may run. A job saved before roles were recorded, or while no users existed, has
 * no author role and counts as an admin's.
 */
export function classRoleRefusal(jobClassString: string, classRole: ClassRole, authorRole?: Role): string | null {
  const author = authorRole ?? 'admin';
  if (roleAllows(author, classRole)) return null;
  return `Job class ${jobClassString} needs the ${classRole} role, but this job was last created or changed with the ${author} role: not run (someone with the ${classRole} role must save the job to let it run)`;
}

import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// The role module alone: every job process loads the SDK, and the whole domain package (typebox, the cron
// engine) would add to each one's start.
import { type ClassRole, isClassRole } from '@tickwork/domain/role';
import { isJobClass, type JobClass, type JobClassInfo } from './job-base.js';

export class JobClassNotFoundError extends Error {
  constructor(jobClassString: string, packages: readonly string[]) {
    super(`No job class ${JSON.stringify(jobClassString)} in JOB_CLASS_PACKAGES (${packages.join(', ')})`);
    this.name = 'JobClassNotFoundError';
  }
}

/**
 * Maps dotted `job_class_string`s to job classes. Each JOB_CLASS_PACKAGES entry is a module (a package
 * name, or a path to a file); the dotted string is the path through its exports, so a package exporting
 * `{ reports: { DailyReport } }` offers `reports.DailyReport`. The first package that has the path wins.
 */
export class JobClassRegistry {
  private constructor(
    private readonly classes: Map<string, JobClass>,
    readonly packages: readonly string[],
    private readonly roles: Readonly<Record<string, ClassRole>>,
  ) {}

  /** `roles` (JOB_CLASS_ROLES) replace what classes declare as their `requiredRole`. */
  static async load(
    packages: readonly string[],
    options: { baseDir?: string; roles?: Readonly<Record<string, ClassRole>> } = {},
  ): Promise<JobClassRegistry> {
    const baseDir = options.baseDir ?? process.cwd();
    const classes = new Map<string, JobClass>();
    for (const specifier of packages) {
      const target =
        specifier.startsWith('.') || isAbsolute(specifier)
          ? pathToFileURL(resolve(baseDir, specifier)).href
          : specifier;
      const exports = (await import(target)) as Record<string, unknown>;
      collect(exports, [], classes, new Set());
    }
    for (const [jobClassString, cls] of classes) {
      if (cls.requiredRole !== undefined && !isClassRole(cls.requiredRole)) {
        throw new Error(
          `Job class ${jobClassString} declares requiredRole ${JSON.stringify(cls.requiredRole)}: it must be "editor" or "admin"`,
        );
      }
    }
    return new JobClassRegistry(classes, packages, options.roles ?? {});
  }

  resolve(jobClassString: string): JobClass {
    const cls = this.classes.get(jobClassString);
    if (!cls) throw new JobClassNotFoundError(jobClassString, this.packages);
    return cls;
  }

  /** The role a job of this class needs: JOB_CLASS_ROLES's, else the class's own, else editor. */
  requiredRole(jobClassString: string): ClassRole {
    const declared = this.resolve(jobClassString).requiredRole;
    return this.roles[jobClassString] ?? (isClassRole(declared) ? declared : 'editor');
  }

  metaInfo(): JobClassInfo[] {
    return [...this.classes].map(([job_class_string, cls]) => ({
      ...cls.metaInfo(),
      job_class_string,
      required_role: this.requiredRole(job_class_string),
    }));
  }
}

function collect(value: unknown, path: string[], into: Map<string, JobClass>, seen: Set<unknown>): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  if (isJobClass(value)) {
    // A class may be exported under several paths; each is a valid job_class_string.
    const key = path.join('.');
    if (key && !into.has(key)) into.set(key, value);
    return;
  }
  if (typeof value === 'function' || path.length > 8 || seen.has(value)) return;
  seen.add(value);
  for (const [name, child] of Object.entries(value)) {
    if (name === 'default') continue;
    collect(child, [...path, name], into, seen);
  }
}

import { type ClassRole, roleAllows } from '@tickwork/domain';
import type { WorkerInfo, WorkerRegistry } from '@tickwork/queue';

/**
 * The role each job class needs, as far as the API can tell: JOB_CLASS_ROLES, else what the live workers
 * publish (the highest, should two disagree). A class no live worker has is unknown here; the worker that
 * runs it checks it (see classRoleRefusal).
 */
export class JobClassRoles {
  constructor(
    private readonly overrides: Readonly<Record<string, ClassRole>>,
    private readonly workers: WorkerRegistry,
  ) {}

  /** The classes the live workers offer, each with its meta info and the role it needs when known. */
  async classes(): Promise<Array<WorkerInfo['job_classes'][number]>> {
    const merged = new Map<string, WorkerInfo['job_classes'][number]>();
    for (const worker of await this.workers.list()) {
      for (const cls of worker.job_classes) {
        const seen = merged.get(cls.job_class_string);
        const role = higher(seen?.required_role, cls.required_role);
        merged.set(cls.job_class_string, { ...(seen ?? cls), ...(role ? { required_role: role } : {}) });
      }
    }
    for (const cls of merged.values()) {
      const override = this.overrides[cls.job_class_string];
      if (override) cls.required_role = override;
    }
    return [...merged.values()].sort((a, b) => a.job_class_string.localeCompare(b.job_class_string));
  }

  /** The role jobs of `jobClassString` need, or undefined when neither JOB_CLASS_ROLES nor a live worker says. */
  async of(jobClassString: string): Promise<ClassRole | undefined> {
    return (
      this.overrides[jobClassString] ??
      (await this.classes()).find((cls) => cls.job_class_string === jobClassString)?.required_role
    );
  }
}

function higher(a: ClassRole | undefined, b: ClassRole | undefined): ClassRole | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return roleAllows(a, b) ? a : b;
}

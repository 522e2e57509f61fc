import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import type { ClassRole } from '@tickwork/domain/role';
import { type InternalUrlPolicy, type OutboundRequestInit, type OutboundResponse, outboundFetch } from './outbound.js';

/** One argument a job class documents, as ndscheduler's meta_info lists them. */
export interface JobArgumentInfo {
  type: string;
  description: string;
}

/** What GET /api/v1/job-classes shows of a class (ndscheduler's `meta_info()`). */
export interface JobMetaInfo {
  job_class_string: string;
  notes: string;
  arguments: JobArgumentInfo[];
  example_arguments: string;
}

/** What a worker publishes of each class it can run: its meta info and the role its jobs need. */
export interface JobClassInfo extends JobMetaInfo {
  required_role: ClassRole;
}

/** A logger handed to a run; lines end up with the execution. */
export interface JobLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface JobContext {
  /** Aborted when the run is stopped or times out: long work should listen and give up. */
  signal: AbortSignal;
  logger: JobLogger;
  /** ALLOW_INTERNAL_URLS: which internal addresses `fetch` may reach (default: none). */
  internalUrls: InternalUrlPolicy;
  /**
   * The data limit (RLIMIT_DATA, MiB) of each program `spawn` starts, where the worker has no cgroup to hold
   * the run's memory (JOB_MAX_MEMORY_MB); undefined: none.
   */
  programMemoryMb: number | undefined;
}

const silentLogger: JobLogger = { info() {}, warn() {}, error() {} };

/**
 * The base of every job class. A worker constructs one per run with the job and execution ids and calls
 * `run(...pub_args)`; the return value (sync or async, JSON-serialisable) becomes the execution's result.
 */
export abstract class JobBase {
  readonly signal: AbortSignal;
  readonly logger: JobLogger;
  private readonly internalUrls: InternalUrlPolicy;
  private readonly programMemoryMb: number | undefined;

  constructor(
    readonly jobId: string,
    readonly executionId: string,
    context?: Partial<JobContext>,
  ) {
    this.signal = context?.signal ?? new AbortController().signal;
    this.logger = context?.logger ?? silentLogger;
    this.internalUrls = context?.internalUrls ?? false;
    this.programMemoryMb = context?.programMemoryMb;
  }

  abstract run(...args: unknown[]): unknown;

  /**
   * fetch() for jobs: loopback, link-local and private addresses are refused at connect time (after DNS,
   * for every redirect) unless ALLOW_INTERNAL_URLS allows them; aborted with the run.
   */
  protected fetch(url: string | URL, init: OutboundRequestInit = {}): Promise<OutboundResponse> {
    return outboundFetch(url, { signal: this.signal, ...init }, this.internalUrls);
  }

  /**
   * Starts a program as part of this run: killed with the run, and held to the run's memory limit. Where
   * the worker has no cgroup for that, the program is started through `/bin/sh` with `ulimit -d` (a program
   * that cannot be started then exits 127, as in a shell, rather than failing to spawn).
   */
  protected spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    const limited =
      this.programMemoryMb === undefined
        ? { file: command, argv: [...args] }
        : {
            file: '/bin/sh',
            argv: ['-c', `ulimit -d ${this.programMemoryMb * 1024} && exec "$0" "$@"`, command, ...args],
          };
    return spawn(limited.file, limited.argv, { signal: this.signal, ...options });
  }

  /**
   * The least role that may create, change or run a job of this class once authentication is on. A class
   * that runs whatever its arguments say (a program, a URL) lets its author do anything the worker's OS user
   * can: it should say `admin`. JOB_CLASS_ROLES overrides this per class.
   */
  static requiredRole: ClassRole = 'editor';

  /** Notes and argument help for the UI; `job_class_string` is filled in by the registry. */
  static metaInfo(): Omit<JobMetaInfo, 'job_class_string'> {
    return { notes: '', arguments: [], example_arguments: '' };
  }
}

export type JobClass = (new (
  jobId: string,
  executionId: string,
  context?: Partial<JobContext>,
) => JobBase) & {
  metaInfo(): Omit<JobMetaInfo, 'job_class_string'>;
  /** Optional: a class built against an SDK without it needs `editor`. */
  requiredRole?: unknown;
};

/** Duck-typed, so a job package built against another copy of this SDK still qualifies. */
export function isJobClass(value: unknown): value is JobClass {
  return (
    typeof value === 'function' &&
    typeof (value as { prototype?: { run?: unknown } }).prototype?.run === 'function' &&
    typeof (value as { metaInfo?: unknown }).metaInfo === 'function'
  );
}

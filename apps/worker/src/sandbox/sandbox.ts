import { fileURLToPath } from 'node:url';
import type { JobLogger } from '@tickwork/sdk';
import { ChildPool } from './child-pool.js';
import type { ChildSetup, FromChild, RunRequest } from './messages.js';
import type { Containment, RunGroup } from './run-containment.js';

export interface SandboxOptions {
  /** Heap limit of a job's process, in MiB. */
  maxMemoryMb: number;
  maxIdle: number;
  /** The job classes each process loads (JOB_CLASS_PACKAGES, relative paths from baseDir), and their limits. */
  setup: ChildSetup;
  /** The whole environment of a job's process (see jobEnvironment). */
  env: Record<string, string>;
  /** What holds each run's processes, so that none outlives a stop or a timeout (see run-containment.ts). */
  containment: Containment;
}

/** Runs jobs in child processes (see run-child.ts): the worker outlives anything a job does. */
export class Sandbox {
  private readonly pool: ChildPool;
  private readonly containment: Containment;

  constructor(options: SandboxOptions) {
    this.containment = options.containment;
    this.pool = new ChildPool(
      fileURLToPath(new URL('./run-child.js', import.meta.url)),
      {
        args: [JSON.stringify(options.setup)],
        execArgv: [`--max-old-space-size=${options.maxMemoryMb}`],
        env: options.env,
      },
      options.maxIdle,
    );
  }

  /**
   * Resolves with the job's return value; rejects with its error, or `signal.reason` when aborted. It
   * settles once no process of the run is left but the job's own (kept for the next run when it behaved).
   */
  run(request: Omit<RunRequest, 'type'>, signal: AbortSignal, logger: JobLogger): Promise<unknown> {
    const child = this.pool.acquire();
    const group: RunGroup | null =
      child.pid === undefined ? null : this.containment.enter(child.pid, request.executionId);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const settle = (end: Promise<void> | undefined, done: () => void) => {
        // A group that cannot be emptied must not hold up the run's end: the wait is bounded in kill().
        (end ?? Promise.resolve()).catch(() => undefined).then(done);
      };
      const onMessage = (message: FromChild) => {
        if (message.type === 'log') return logger[message.level](message.message);
        cleanup();
        settle(group?.release(), () => {
          this.pool.release(child);
          if (message.type === 'result') return resolve(message.value);
          const error = new Error(message.message);
          error.stack = message.stack;
          reject(error);
        });
      };
      const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
        cleanup();
        settle(group?.kill(), () =>
          reject(new Error(`the job's process exited (${exitSignal ?? `code ${code}`}) before the run finished`)),
        );
      };
      const onAbort = () => {
        cleanup();
        this.pool.kill(child);
        settle(group?.kill(), () => reject(signal.reason));
      };
      if (signal.aborted) return onAbort();
      child.on('message', onMessage);
      child.once('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      child.send({ type: 'run', ...request });
    });
  }

  close(): Promise<void> {
    this.pool.close();
    return this.containment.close();
  }
}

import { fileURLToPath } from 'node:url';
import type { JobLogger } from '@tickwork/sdk';
import { ChildPool } from './child-pool.js';
import type { ChildSetup, FromChild, RunRequest } from './messages.js';

export interface SandboxOptions {
  /** Heap limit of a job's process, in MiB. */
  maxMemoryMb: number;
  maxIdle: number;
  /** The job classes each process loads (JOB_CLASS_PACKAGES, relative paths from baseDir). */
  setup: ChildSetup;
  /** The whole environment of a job's process (see jobEnvironment). */
  env: Record<string, string>;
}

/** Runs jobs in child processes (see run-child.ts): the worker outlives anything a job does. */
export class Sandbox {
  private readonly pool: ChildPool;

  constructor(options: SandboxOptions) {
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

  /** Resolves with the job's return value; rejects with its error, or `signal.reason` when aborted. */
  run(request: Omit<RunRequest, 'type'>, signal: AbortSignal, logger: JobLogger): Promise<unknown> {
    const child = this.pool.acquire();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const onMessage = (message: FromChild) => {
        if (message.type === 'log') return logger[message.level](message.message);
        cleanup();
        this.pool.release(child);
        if (message.type === 'result') return resolve(message.value);
        const error = new Error(message.message);
        error.stack = message.stack;
        reject(error);
      };
      const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
        cleanup();
        reject(new Error(`the job's process exited (${exitSignal ?? `code ${code}`}) before the run finished`));
      };
      const onAbort = () => {
        cleanup();
        this.pool.kill(child);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      child.on('message', onMessage);
      child.once('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      child.send({ type: 'run', ...request });
    });
  }

  close(): void {
    this.pool.close();
  }
}

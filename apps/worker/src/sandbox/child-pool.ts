import { type ChildProcess, fork } from 'node:child_process';

/**
 * Child processes for job runs, reused while they behave: a child that finished a run cleanly goes back to
 * the idle list; one that was aborted, crashed or misbehaved is killed with its whole process group.
 */
export class ChildPool {
  private readonly idle: ChildProcess[] = [];

  constructor(
    private readonly script: string,
    private readonly options: { args: string[]; execArgv: string[]; env: Record<string, string> },
    private readonly maxIdle: number,
  ) {}

  acquire(): ChildProcess {
    for (;;) {
      const child = this.idle.pop();
      if (!child) break;
      if (child.connected && child.exitCode === null) return child;
    }
    // detached: the child leads its own process group, so killing the group reaches the job's children.
    // env: only what a job may see (jobEnvironment), never the worker's whole environment.
    const child = fork(this.script, this.options.args, {
      execArgv: this.options.execArgv,
      env: this.options.env,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('exit', () => this.forget(child));
    return child;
  }

  release(child: ChildProcess): void {
    if (child.connected && child.exitCode === null && this.idle.length < this.maxIdle) this.idle.push(child);
    else this.kill(child);
  }

  kill(child: ChildProcess): void {
    this.forget(child);
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  close(): void {
    for (const child of this.idle.splice(0)) this.kill(child);
  }

  private forget(child: ChildProcess): void {
    const at = this.idle.indexOf(child);
    if (at >= 0) this.idle.splice(at, 1);
  }
}

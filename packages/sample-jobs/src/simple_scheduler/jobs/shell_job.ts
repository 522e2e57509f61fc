import { spawn } from 'node:child_process';
import { JobBase } from '@tickwork/sdk';

/** Runs a program with arguments, without a shell; stopping the run kills the child. */
export class ShellJob extends JobBase {
  // It runs any program it is given: only admins may set one up (see README, Authentication).
  static override requiredRole = 'admin' as const;

  static override metaInfo() {
    return {
      notes: 'Runs an executable with its arguments (no shell). The result is its exit code.',
      arguments: [
        { type: 'string', description: 'Executable path' },
        { type: 'string', description: 'Arguments for the executable (any number)' },
      ],
      example_arguments: '["/bin/echo", "hello", "world"]',
    };
  }

  run(...argv: unknown[]): Promise<{ returncode: number | null }> {
    const [command, ...args] = argv.map(String);
    if (!command) return Promise.reject(new Error('ShellJob needs the executable as its first argument'));
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: this.signal });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.logger.info(chunk.trimEnd()));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.logger.warn(chunk.trimEnd()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ returncode: code }));
    });
  }
}

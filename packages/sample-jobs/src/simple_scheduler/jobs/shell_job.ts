import { JobBase } from '@tickwork/sdk';
import { eachLine } from '../../lines.js';

/** Runs a program with arguments, without a shell; stopping the run kills the program and all it started. */
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
      const child = this.spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      // Whole lines: a line the program wrote in pieces is one line of output, as in a terminal.
      eachLine(child.stdout as NonNullable<typeof child.stdout>, (line) => this.logger.info(line));
      eachLine(child.stderr as NonNullable<typeof child.stderr>, (line) => this.logger.warn(line));
      child.on('error', reject);
      child.on('close', (code) => resolve({ returncode: code }));
    });
  }
}

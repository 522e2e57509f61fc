import { text } from 'node:stream/consumers';
import { CommanderError } from 'commander';
import { ApiError } from './api-client.js';
import { buildProgram } from './program.js';

const program = buildProgram({
  out: (line) => process.stdout.write(`${line}\n`),
  readStdin: () => text(process.stdin),
});
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`tickwork: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

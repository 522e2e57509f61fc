// Plain JavaScript on purpose: this runs before dependencies are installed or anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(what, command, args) {
  console.log(`tickwork: ${what}...`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`tickwork: ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Installs dependencies when they are missing or older than the lock file, then builds (tsc -b, the web UI). */
export function prepare() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) run('installing dependencies', npm, ['ci', '--no-audit', '--no-fund']);
  else if (mtime(join(root, 'package-lock.json')) > mtime(installed)) {
    run('updating dependencies', npm, ['install', '--no-audit', '--no-fund']);
  }
  run('building', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
  run('building the web UI', process.execPath, [
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    join(root, 'apps', 'web'),
    '--logLevel',
    'warn',
  ]);
}

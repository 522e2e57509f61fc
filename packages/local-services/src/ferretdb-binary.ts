import { spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from './child-process.js';
import { LOCAL_DIR, REPO_ROOT } from './paths.js';
import { which } from './which.js';

const SOURCE_DIR = join(REPO_ROOT, 'tools', 'ferretdb');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];
export const FERRETDB_BINARY = join(LOCAL_DIR, 'bin', 'ferretdb');

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Our FerretDB 1.24.2 binary, built from the Go module proxy on first use and reused until its sources
 * change. The build is pure Go (CGO_ENABLED=0) and takes a few minutes the first time.
 */
export async function ensureFerretDb(log: Log): Promise<string> {
  const built = mtime(FERRETDB_BINARY);
  if (built > 0 && SOURCES.every((f) => mtime(join(SOURCE_DIR, f)) <= built)) return FERRETDB_BINARY;
  const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
  if (!go) throw new Error('Go is not installed, so FerretDB cannot be built');
  mkdirSync(join(LOCAL_DIR, 'bin'), { recursive: true });
  log('building FerretDB 1.24.2 from the Go module proxy (first run only; a few minutes)...');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['build', '-v', '-o', FERRETDB_BINARY, '.'], {
      cwd: SOURCE_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let packages = 0;
    let lastReport = Date.now();
    let tail = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      packages += chunk.split('\n').filter((l) => l && !l.startsWith('go: ')).length;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        log(`  ... ${packages} Go packages compiled so far (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go build of FerretDB failed (exit ${code}):\n${tail}`)),
    );
  });
  log(`FerretDB built in ${Math.round((Date.now() - started) / 1000)} s: ${FERRETDB_BINARY}`);
  return FERRETDB_BINARY;
}

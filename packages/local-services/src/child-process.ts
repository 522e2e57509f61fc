import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Log = (line: string) => void;

/** Spawns a long-running child whose output lines go to `log`, prefixed by the caller. */
export function spawnService(command: string, args: string[], log: Log, options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', log);
  }
  return child;
}

/** `signal` (SIGTERM), then SIGKILL if the child has not exited within `graceMs`. */
export async function stopChild(
  child: ChildProcess,
  graceMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Makes sure `child` — a server in a process group of its own, which nothing else stops — ends with this
 * process however it ends: at exit (a crash, process.exit) we signal it; if we are killed outright (SIGKILL,
 * OOM), a small watcher shell that outlives us does. Returns what cancels both, for a clean stop.
 */
export function endWithThisProcess(child: ChildProcess, signal: NodeJS.Signals): () => void {
  const onExit = () => child.kill(signal);
  process.once('exit', onExit);
  let watcher: ChildProcess | undefined;
  if (process.platform !== 'win32' && child.pid) {
    watcher = spawn(
      'sh',
      [
        '-c',
        'while kill -0 "$0" 2>/dev/null; do sleep 1; done; kill -s "$2" "$1" 2>/dev/null',
        String(process.pid),
      ].concat([String(child.pid), signal.replace(/^SIG/, '')]),
      { detached: true, stdio: 'ignore' },
    );
    watcher.on('error', () => undefined);
    watcher.unref();
  }
  return () => {
    process.off('exit', onExit);
    watcher?.kill();
  };
}

/** Polls `check` until it resolves true, or fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

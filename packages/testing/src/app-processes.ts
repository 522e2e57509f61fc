// The API and worker as processes: their built programs (apps/*/dist) started by path, as `npm start` does,
// for tests and benchmarks. Nothing here imports an app; the helpers that run one inside the test process
// (startApi, startWorker) are in apps/testkit.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, REPO_ROOT } from '@tickwork/local-services';
import type { TestEnvironment } from './test-environment.js';
import { waitFor } from './wait-for.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * Logs in as the seed's curl does (form fields username and password) and returns the Cookie header to
 * send back; throws with the answer when the login fails.
 */
export async function loginCookie(base: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    body: new URLSearchParams({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie()[0];
  if (!cookie) throw new Error('login answered no cookie');
  return cookie.split(';')[0] as string;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output: string[];
}

/** How a process is started: its readiness deadline, and `via` to wrap its command (it must exec). */
export interface SpawnOptions {
  readyTimeoutMs?: number;
  via?: (argv: string[]) => string[];
}

/** A real API process (node apps/api/dist/server.js) on a free port, ready when it answers; killed at teardown. */
export async function spawnApi(
  t: Teardown,
  environment: TestEnvironment,
  extraEnv: Record<string, string> = {},
  options: SpawnOptions = {},
): Promise<{ child: ChildProcess; base: string; output: string[] }> {
  const port = await freePort();
  const via = options.via ?? ((argv) => argv);
  const [command, ...args] = via([process.execPath, join(REPO_ROOT, 'apps/api/dist/server.js')]);
  const child = spawn(command as string, args, {
    env: { ...process.env, ...environment.env, PORT: String(port), HOST: '127.0.0.1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  t.teardown(() => killProcess(child));
  const base = `http://127.0.0.1:${port}`;
  await untilExit(
    child,
    'api',
    output,
    waitFor(
      'the API process to answer',
      // Open without login, and cheap however many jobs there are.
      async () => (await fetch(`${base}/healthz`)).status === 200,
      options.readyTimeoutMs ?? 30_000,
    ),
  );
  return { child, base, output };
}

/** Runs the API process (node apps/api/dist/server.js) expecting it to refuse to start: its exit code and output. */
export async function runApiToExit(
  t: Teardown,
  environment: TestEnvironment,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; output: string[] }> {
  const port = await freePort();
  return runToExit(t, 'apps/api/dist/server.js', {
    ...environment.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ...extraEnv,
  });
}

/** Runs a worker process expecting it to refuse to start; `via` wraps its command as for spawnWorker. */
export async function runWorkerToExit(
  t: Teardown,
  environment: TestEnvironment,
  extraEnv: Record<string, string> = {},
  via: (argv: string[]) => string[] = (argv) => argv,
): Promise<{ code: number | null; output: string[] }> {
  return runToExit(t, 'apps/worker/dist/main.js', { ...environment.env, ...extraEnv }, via);
}

async function runToExit(
  t: Teardown,
  script: string,
  env: Record<string, string>,
  via: (argv: string[]) => string[] = (argv) => argv,
): Promise<{ code: number | null; output: string[] }> {
  const [command, ...args] = via([process.execPath, join(REPO_ROOT, script)]);
  const child = spawn(command as string, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child);
  t.teardown(() => killProcess(child));
  const code = await waitFor(`${script} to exit`, () => (child.exitCode === null ? undefined : child.exitCode), 30_000);
  // Let the last lines of output arrive.
  await waitFor('its output to close', () => child.stdout?.readableEnded && child.stderr?.readableEnded, 5_000);
  return { code, output };
}

/** Waits for `ready`, but fails at once, with the process's output, if the process exits first. */
async function untilExit<T>(child: ChildProcess, name: string, output: string[], ready: Promise<T>): Promise<T> {
  let onExit: (() => void) | undefined;
  const exited = new Promise<never>((_, reject) => {
    onExit = () => reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${output.join('\n')}`));
    child.once('exit', onExit);
  });
  try {
    return await Promise.race([ready, exited]);
  } finally {
    if (onExit) child.off('exit', onExit);
  }
}

function collectOutput(child: ChildProcess): string[] {
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (l) => output.push(l));
  }
  return output;
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A real worker process (node apps/worker/dist/main.js), ready once it logs its start; killed at teardown.
 * `via` wraps the command, e.g. to run it on a NetworkHost; it must exec, keeping the worker's pid.
 */
export async function spawnWorker(
  t: Teardown,
  environment: TestEnvironment,
  extraEnv: Record<string, string> = {},
  via: (argv: string[]) => string[] = (argv) => argv,
): Promise<WorkerProcess> {
  const [command, ...args] = via([process.execPath, join(REPO_ROOT, 'apps/worker/dist/main.js')]);
  const child = spawn(command as string, args, {
    env: { ...process.env, ...environment.env, LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  t.teardown(() => killProcess(child));
  await untilExit(
    child,
    'worker',
    output,
    waitFor('the worker process to start', () => output.some((l) => l.includes('worker started')), 30_000),
  );
  return { child, pid: child.pid as number, output };
}

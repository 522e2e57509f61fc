// The process a job runs in, so that whatever the job does — throw, exit, leak a rejection, exhaust memory —
// the worker survives. It runs one job at a time and may be reused for the next.
import { JobClassRegistry } from '@tickwork/sdk';
import { type ChildSetup, type FromChild, RUN_MARKER, type ToChild } from './messages.js';

const setup = JSON.parse(process.argv[2] ?? '{}') as ChildSetup;

function send(message: FromChild): void {
  process.send?.(message);
}

function fail(err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  send({ type: 'error', message: error.message, stack: error.stack ?? error.message });
}

// A rejection nobody handled belongs to the job: report it, then end this process (its state is suspect).
process.on('unhandledRejection', (reason) => {
  fail(reason);
  process.exit(1);
});
process.on('uncaughtException', (err) => {
  fail(err);
  process.exit(1);
});
// The worker is gone: take this process group (the job's own children included) down with it.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } finally {
    process.exit(1);
  }
});

/**
 * JOB_RUN_AS: the process gives up root for good before any job code runs. It does so itself, after loading
 * the job classes as the worker's user, because that user may be the only one able to read them (a checkout
 * in a private directory). Then a job can read neither the worker's files nor its /proc/<pid>/environ.
 */
function dropPrivileges(runAs: { uid: number; gid: number }): void {
  process.setgroups?.([]);
  process.setgid?.(runAs.gid);
  process.setuid?.(runAs.uid);
  if (process.getuid?.() !== runAs.uid || process.getgid?.() !== runAs.gid) {
    throw new Error(`could not switch to uid ${runAs.uid}, gid ${runAs.gid} (JOB_RUN_AS)`);
  }
}

// The job classes are loaded once, as the process starts; a failure is reported by each run asked for.
const ready = JobClassRegistry.load(setup.packages, { baseDir: setup.baseDir }).then((registry) => {
  if (setup.runAs) dropPrivileges(setup.runAs);
  return registry;
});
ready.catch(() => undefined); // not unhandled: every run awaits it

// Stop and timeout kill this process's whole group rather than asking: a job may ignore its signal. The
// signal stays part of JobBase's contract, so a job can be written to give up cleanly where one is sent.
process.on('message', async (message: ToChild) => {
  const controller = new AbortController();
  // Inherited by every program the run starts: how the worker finds the ones that left the process group
  // (setsid) where it has no cgroup for the run (run-containment.ts). Programs see their execution's id.
  process.env[RUN_MARKER] = message.executionId;
  try {
    const JobClass = (await ready).resolve(message.jobClassString);
    const log = (level: 'info' | 'warn' | 'error') => (text: string) => send({ type: 'log', level, message: text });
    const instance = new JobClass(message.jobId, message.executionId, {
      signal: controller.signal,
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      internalUrls: setup.internalUrls,
      programMemoryMb: setup.programMemoryMb ?? undefined,
    });
    const value = await instance.run(...message.args);
    send({ type: 'result', value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (err) {
    fail(err);
  }
});

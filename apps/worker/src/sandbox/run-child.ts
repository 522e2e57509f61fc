// The process a job runs in, so that whatever the job does — throw, exit, leak a rejection, exhaust memory —
// the worker survives. It runs one job at a time and may be reused for the next.
import { JobClassRegistry } from '@tickwork/sdk';
import type { FromChild, ToChild } from './messages.js';

const registries = new Map<string, Promise<JobClassRegistry>>();

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

// Stop and timeout kill this process's whole group rather than asking: a job may ignore its signal. The
// signal stays part of JobBase's contract, so a job can be written to give up cleanly where one is sent.
process.on('message', async (message: ToChild) => {
  const controller = new AbortController();
  try {
    const key = `${message.baseDir}|${message.packages.join(',')}`;
    let registry = registries.get(key);
    if (!registry) {
      registry = JobClassRegistry.load(message.packages, message.baseDir);
      registries.set(key, registry);
    }
    const JobClass = (await registry).resolve(message.jobClassString);
    const log = (level: 'info' | 'warn' | 'error') => (text: string) => send({ type: 'log', level, message: text });
    const instance = new JobClass(message.jobId, message.executionId, {
      signal: controller.signal,
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
    });
    const value = await instance.run(...message.args);
    send({ type: 'result', value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (err) {
    fail(err);
  }
});

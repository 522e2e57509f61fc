import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '@tickwork/store';
import { spawnApi, spawnWorker, waitFor } from '@tickwork/testing';
import type { BenchStack } from '../bench-stack.js';
import { type CpuProfile, type ProfileSummary, summarizeProfile } from '../cpu-profile.js';
import { childPids, cpuSeconds, pidsMatching } from '../process-usage.js';
import { withScope } from '../scope.js';
import { type RunNowLoadResult, runNowLoad } from './run-now-load.js';
import { addNoopJob } from './throughput.js';

export interface ProfileResult {
  scenario: string;
  load: RunNowLoadResult;
  /** CPU seconds each process (or kind of process) used during the load. */
  cpu_seconds: Record<string, number>;
  /** Where the API's and the worker's own CPU time went (node --cpu-prof). */
  api: ProfileSummary | null;
  worker: ProfileSummary | null;
}

/**
 * The throughput scenario again (the one furthest from its target), with the API and the worker under
 * node --cpu-prof, and every process's CPU time counted: which process is busy, then where inside ours.
 */
export async function profile(stack: BenchStack, executions: number): Promise<ProfileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tickwork-bench-profile-'));
  try {
    return await withScope(async (scope) => {
      const environment = stack.environment(scope);
      // Only the API and the worker: --cpu-prof is refused in NODE_OPTIONS, which job processes would inherit.
      const via = ([node, ...rest]: string[]) => [node as string, '--cpu-prof', `--cpu-prof-dir=${dir}`, ...rest];
      const api = await spawnApi(scope, environment, {}, { via });
      const worker = await spawnWorker(scope, environment, {}, via);
      const store = await Store.open(environment.env.MONGODB_URL as string);
      scope.teardown(() => store.close());
      const jobId = await addNoopJob(api.base);
      const apiPid = api.child.pid as number;
      const groups: Record<string, () => number[]> = {
        api: () => [apiPid],
        worker: () => [worker.pid],
        'job processes': () => childPids(worker.pid),
        ferretdb: () => pidsMatching(/ferretdb/),
        postgresql: () => pidsMatching(/^postgres/),
        redis: () => pidsMatching(new RegExp(`redis-server .*:${stack.redis.port}\\b`)),
        'bench (load generator)': () => [process.pid],
      };
      const before = new Map<number, number>();
      for (const pids of Object.values(groups)) for (const pid of pids()) before.set(pid, cpuSeconds(pid));
      const load = await runNowLoad(api.base, environment, store, jobId, executions);
      const cpu: Record<string, number> = {};
      for (const [name, pids] of Object.entries(groups)) {
        const used = pids().reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0);
        cpu[name] = Math.round(used * 100) / 100;
      }
      // A profile is written when its process exits: stop both gracefully.
      await stopGracefully(api.child);
      await stopGracefully(worker.child);
      return {
        scenario: `run-now throughput, ${executions} executions, 1 worker`,
        load,
        cpu_seconds: cpu,
        api: profileOf(dir, apiPid),
        worker: profileOf(dir, worker.pid),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stopGracefully(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await waitFor('a profiled process to exit', () => child.exitCode !== null || child.signalCode !== null, 60_000);
}

function profileOf(dir: string, pid: number): ProfileSummary | null {
  const file = readdirSync(dir).find((name) => name.includes(`.${pid}.`) && name.endsWith('.cpuprofile'));
  if (!file) return null;
  return summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
}

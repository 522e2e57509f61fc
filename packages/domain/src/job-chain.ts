import { sha256Hex } from './execution/sha256.js';
import { ExecutionState } from './execution-state.js';
import type { ChainOn } from './job-contract.js';
import { ValidationError } from './validation-error.js';

/** A job's `after`: the upstream job, and how its executions must end for this one to run. */
export interface ChainLink {
  job_id: string;
  on: ChainOn;
}

/** How many links a chain may have above any job: the cycle check reads at most this many jobs. */
export const MAX_CHAIN_DEPTH = 32;

/**
 * The execution id of a chained job's run after one upstream execution: the same on every worker and in
 * the API's catch-up, so the run's record has one possible `_id` and is written once per upstream execution
 * however many times its trigger is tried. 32 hex digits, like every ndscheduler id.
 */
export function chainExecutionId(jobId: string, upstreamExecutionId: string): string {
  return sha256Hex(`${jobId}<-${upstreamExecutionId}`).slice(0, 32);
}

/** Whether an upstream execution that ended in `state` runs a job waiting for it `on` this. */
export function chainTriggered(on: ChainOn, state: string): boolean {
  switch (on) {
    case 'succeeded':
      return state === ExecutionState.succeeded;
    case 'failed':
      return state === ExecutionState.failed || state === ExecutionState.timeout;
    case 'finished':
      return (
        state === ExecutionState.succeeded ||
        state === ExecutionState.failed ||
        state === ExecutionState.timeout ||
        state === ExecutionState.stopped
      );
  }
}

/** What the cycle check needs of a job. */
export interface ChainNode {
  job_id: string;
  name: string;
  after?: ChainLink | null;
}

/**
 * Checks a job's `after` before it is stored: the upstream exists, is not the job itself, and following
 * `after` links up from it never comes back to the job (a cycle would run for ever) within MAX_CHAIN_DEPTH
 * links. `jobId` is null for a new job (which nothing can wait for yet). Throws a ValidationError naming
 * `after`; returns the upstream job.
 */
export async function checkChain(
  jobId: string | null,
  after: ChainLink,
  lookup: (jobId: string) => Promise<ChainNode | null | undefined>,
): Promise<ChainNode> {
  if (after.job_id === jobId) throw new ValidationError('after', `after: a job cannot run after itself (${jobId})`);
  const upstream = await lookup(after.job_id);
  if (!upstream) throw new ValidationError('after', `after: unknown job ${JSON.stringify(after.job_id)}`);
  const path: ChainNode[] = [upstream];
  let node: ChainNode = upstream;
  while (node.after) {
    if (node.after.job_id === jobId) {
      // The chain as it would run: this job, then each job below it, back to this job.
      const order = [...path].reverse().map((n) => JSON.stringify(n.name));
      throw new ValidationError(
        'after',
        `after: a cycle: ${JSON.stringify(upstream.name)} already runs after this job (this job → ${order.join(' → ')} → this job)`,
      );
    }
    if (path.length >= MAX_CHAIN_DEPTH) {
      throw new ValidationError('after', `after: the chain above this job is longer than ${MAX_CHAIN_DEPTH} jobs`);
    }
    const next = await lookup(node.after.job_id);
    // An upstream whose own upstream was deleted: the chain ends there (that job is paused).
    if (!next) break;
    path.push(next);
    node = next;
  }
  return upstream;
}

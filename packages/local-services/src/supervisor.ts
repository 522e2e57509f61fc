import type { ChildProcess } from 'node:child_process';
import { stopChild } from './child-process.js';
import { RestartPolicy } from './restart-policy.js';

/** How many of a child's last output lines are kept, to show when it cannot be kept running. */
const LAST_LINES = 20;

export interface SupervisorContext {
  say: (line: string) => void;
  /** Called once when a child cannot be kept running; the stack should stop. */
  giveUp: (name: string, why: string, lastLines: string[]) => void;
  now?: () => number;
}

/** Starts one child: `log` is to receive every line it prints. */
export type StartChild = (log: (line: string) => void) => ChildProcess;

interface Supervised {
  name: string;
  startChild: StartChild;
  policy: RestartPolicy;
  child?: ChildProcess;
  startedAt: number;
  restarts: number;
  lastLines: string[];
  pending?: NodeJS.Timeout;
}

/**
 * Keeps `npm start`'s children running, as a process manager does: a child that dies is restarted per its
 * RestartPolicy and the others keep serving; only `stop` (Ctrl-C, SIGTERM) ends them all.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;
  private readonly now: () => number;

  constructor(private readonly ctx: SupervisorContext) {
    this.now = ctx.now ?? Date.now;
  }

  add(name: string, startChild: StartChild): void {
    const entry: Supervised = {
      name,
      startChild,
      policy: new RestartPolicy(),
      startedAt: 0,
      restarts: 0,
      lastLines: [],
    };
    this.children.push(entry);
    this.start(entry);
  }

  /** Stops every child (each gets `graceMs` after SIGTERM) and restarts none. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const entry of this.children) clearTimeout(entry.pending);
    await Promise.all(this.children.map((entry) => (entry.child ? stopChild(entry.child, graceMs) : undefined)));
  }

  private start(entry: Supervised): void {
    entry.startedAt = this.now();
    const child = entry.startChild((line) => {
      entry.lastLines.push(line);
      if (entry.lastLines.length > LAST_LINES) entry.lastLines.shift();
    });
    entry.child = child;
    child.once('error', (err) => this.ctx.say(`${entry.name} could not be started: ${err.message}`));
    child.once('exit', (code, signal) => this.onExit(entry, code, signal));
  }

  private onExit(entry: Supervised, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const ranMs = this.now() - entry.startedAt;
    const how = `${entry.name} exited (${signal ?? `code ${code}`}) after ${formatDuration(ranMs)}`;
    const decision = entry.policy.onExit(ranMs, code);
    if (!decision.restart) {
      this.ctx.say(`${how}; not restarted: ${decision.why}`);
      this.ctx.giveUp(entry.name, decision.why, [...entry.lastLines]);
      return;
    }
    entry.restarts += 1;
    const when = decision.delayMs === 0 ? 'now' : `in ${decision.delayMs / 1000} s`;
    const often = entry.restarts === 1 ? 'first restart' : `restart ${entry.restarts}`;
    this.ctx.say(`${how}; restarting it ${when} (${often}; the others keep running)`);
    entry.pending = setTimeout(() => {
      entry.pending = undefined;
      if (!this.stopping) this.start(entry);
    }, decision.delayMs);
  }
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

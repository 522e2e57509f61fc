import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_MARKER } from './messages.js';

/**
 * Every process of one run — the job's process and all it started, daemonized or not — as something that
 * can be killed as a whole, and waited for until none is left.
 */
export interface RunGroup {
  /** After a run that ended by itself: its job process leaves the group (it may be reused) and the rest is killed. */
  release(): Promise<void>;
  /** Stop, timeout, a crashed job process: kills every process of the run and waits until they are gone. */
  kill(): Promise<void>;
}

/** How this worker holds its runs' processes, chosen once at start (see `containment`). */
export interface Containment {
  /** What holds a run, and what it cannot enforce here: logged once at start. */
  readonly description: string;
  /** Whether something is missing here that README promises only where available (logged as a warning). */
  readonly limited: boolean;
  /** The memory limit comes from a cgroup (memory.max); otherwise each program gets `ulimit -d`. */
  readonly memoryByCgroup: boolean;
  /** Puts the job process `pid` into a group of run `executionId`'s own, before the run starts. */
  enter(pid: number, executionId: string): RunGroup;
  /** Worker stop: whatever runs are left are killed, and what was made at start is removed. */
  close(): Promise<void>;
}

const KILL_WAIT_MS = 5000;
const POLL_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe` until it says done, for at most KILL_WAIT_MS; says whether it did. */
async function until(probe: () => boolean): Promise<boolean> {
  const deadline = Date.now() + KILL_WAIT_MS;
  for (;;) {
    if (probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
}

function signal(pid: number, target: 'process' | 'group' = 'process'): void {
  try {
    process.kill(target === 'group' ? -pid : pid, 'SIGKILL');
  } catch {
    // gone already, or not ours
  }
}

// --- without cgroups: the process group, the process tree and the marker --------------------------------

interface ProcEntry {
  pid: number;
  ppid: number;
}

/** Every live process (zombies, already dead, left out) with its parent, from /proc. */
function processTable(): ProcEntry[] {
  const table: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && state !== 'X') table.push({ pid: Number(name), ppid: Number(ppid) });
    } catch {
      // it ended while we looked
    }
  }
  return table;
}

function carriesMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
  } catch {
    return false; // gone, or another user's (a worker not running as root cannot read those)
  }
}

/**
 * The processes of a run besides `root` (the job process): its descendants still linked by parent pid, and
 * any process carrying the run's marker — the ones that left with setsid and whose parent is gone.
 */
function runProcesses(root: number, marker: string): number[] {
  const table = processTable();
  const found = new Set<number>();
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (found.has(pid)) continue;
    found.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  for (const { pid } of table) if (pid !== root && pid !== process.pid && carriesMarker(pid, marker)) found.add(pid);
  found.delete(root);
  return [...found];
}

/**
 * Kills the processes of a run, the job process too when `withRoot`, until a look at /proc finds none: a
 * process forking while it is killed leaves a child that the next look finds (it has the marker).
 */
async function sweep(root: number, executionId: string, withRoot: boolean): Promise<void> {
  const marker = `${RUN_MARKER}=${executionId}`;
  if (withRoot) {
    // Found before the job process dies: afterwards its children belong to init and only the marker tells.
    const first = runProcesses(root, marker);
    signal(root, 'group');
    signal(root);
    for (const pid of first) signal(pid);
  }
  await until(() => {
    const left = runProcesses(root, marker);
    for (const pid of left) signal(pid);
    return left.length === 0;
  });
}

class SweptRuns implements Containment {
  readonly memoryByCgroup = false;
  readonly limited = true;

  constructor(readonly description: string) {}

  enter(pid: number, executionId: string): RunGroup {
    return {
      release: () => sweep(pid, executionId, false),
      kill: () => sweep(pid, executionId, true),
    };
  }

  async close(): Promise<void> {}
}

// --- with a cgroup v2 per run ---------------------------------------------------------------------------

/** The cgroup v2 directory this process is in, from /proc/self/mountinfo and /proc/self/cgroup; null if none. */
function ownCgroup(): string | null {
  let mount: string | undefined;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // ... mount-point options - fstype source super-options
    const [before, after] = line.split(' - ');
    if (after?.split(' ')[0] !== 'cgroup2') continue;
    mount = before?.split(' ')[4];
    break;
  }
  const path = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('0::'))
    ?.slice(3);
  if (!mount || path === undefined) return null;
  return join(mount, path);
}

function populated(group: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(group, 'cgroup.events'), 'utf8'));
  } catch {
    return false; // removed
  }
}

/** Kills every process in `group` (cgroup.kill), waits until it is empty, and removes it. */
async function killGroup(group: string): Promise<void> {
  try {
    writeFileSync(join(group, 'cgroup.kill'), '1');
  } catch {
    return; // removed already
  }
  await until(() => !populated(group));
  try {
    rmdirSync(group);
  } catch {
    // still busy past the wait (a process stuck in the kernel): left for the next worker start
  }
}

/** Removes the groups of workers on this host that died without cleaning up, killing what they left. */
async function removeStale(base: string): Promise<void> {
  for (const name of readdirSync(base)) {
    const match = /^tickwork-worker-(\d+)-\d+$/.exec(name);
    if (!match || existsSync(`/proc/${match[1]}`)) continue;
    const parent = join(base, name);
    for (const child of readdirSync(parent, { withFileTypes: true })) {
      if (child.isDirectory()) await killGroup(join(parent, child.name));
    }
    await killGroup(parent);
  }
}

/** Workers started in this process so far (a suffix for their cgroups' names). */
let opened = 0;

class CgroupRuns implements Containment {
  readonly limited: boolean;
  readonly description: string;
  private readonly idle: string;
  private next = 0;

  private constructor(
    private readonly parent: string,
    readonly memoryByCgroup: boolean,
    private readonly memoryMaxBytes: number,
    why: string,
  ) {
    this.idle = join(parent, 'idle');
    this.limited = !memoryByCgroup;
    this.description = memoryByCgroup
      ? `each run in a cgroup v2 of its own under ${parent}: stop and timeout kill all it started; memory.max holds the run to JOB_MAX_MEMORY_MB`
      : `each run in a cgroup v2 of its own under ${parent}: stop and timeout kill all it started; but ${why}, so JOB_MAX_MEMORY_MB holds each program a job starts alone (ulimit -d), not the run as a whole`;
  }

  /** A cgroup for this worker's runs under its own, or null (with why not) where it cannot make one. */
  static async open(memoryMb: number): Promise<CgroupRuns | string> {
    let base: string | null;
    try {
      base = ownCgroup();
    } catch {
      base = null;
    }
    if (!base) return 'no cgroup v2 is mounted';
    // Several workers may share a process (tests): each gets its own.
    const parent = join(base, `tickwork-worker-${process.pid}-${++opened}`);
    try {
      await removeStale(base);
      mkdirSync(parent);
    } catch (err) {
      return `the worker cannot create cgroups in ${base} (${(err as NodeJS.ErrnoException).code ?? err}): it needs that cgroup delegated to its user`;
    }
    if (!existsSync(join(parent, 'cgroup.kill'))) {
      rmdirSync(parent);
      return `this kernel has no cgroup.kill (Linux 5.14 or later has)`;
    }
    // The memory controller must be on in our own group's subtree (that works in the root group, or in a
    // delegated one that holds no processes itself) and in the worker's group for the runs.
    let why = '';
    const controllers = readFileSync(join(base, 'cgroup.controllers'), 'utf8').split(/\s+/);
    if (!controllers.includes('memory')) {
      why = `the cgroup v2 memory controller is not available in ${base}`;
    } else {
      try {
        writeFileSync(join(base, 'cgroup.subtree_control'), '+memory');
        writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory');
      } catch (err) {
        why = `the cgroup v2 memory controller cannot be enabled for runs under ${base} (${(err as NodeJS.ErrnoException).code ?? err})`;
      }
    }
    const runs = new CgroupRuns(parent, why === '', memoryMb * 1024 * 1024, why);
    mkdirSync(runs.idle);
    return runs;
  }

  enter(pid: number, executionId: string): RunGroup {
    const group = join(this.parent, `run-${++this.next}`);
    try {
      mkdirSync(group);
      if (this.memoryByCgroup) {
        writeFileSync(join(group, 'memory.max'), String(this.memoryMaxBytes));
        if (existsSync(join(group, 'memory.swap.max'))) writeFileSync(join(group, 'memory.swap.max'), '0');
      }
      writeFileSync(join(group, 'cgroup.procs'), String(pid));
    } catch {
      // Never a reason not to run: this run is held as without cgroups.
      void killGroup(group);
      return new SweptRuns('').enter(pid, executionId);
    }
    return {
      release: async () => {
        try {
          writeFileSync(join(this.idle, 'cgroup.procs'), String(pid));
        } catch {
          // the job process is gone
        }
        await killGroup(group);
      },
      kill: async () => {
        signal(pid, 'group');
        await killGroup(group);
      },
    };
  }

  async close(): Promise<void> {
    for (const entry of readdirSync(this.parent, { withFileTypes: true })) {
      if (entry.isDirectory()) await killGroup(join(this.parent, entry.name));
    }
    await killGroup(this.parent);
  }
}

/**
 * How this worker holds runs: a cgroup v2 per run where it can create them (`JOB_CGROUP=auto`), with
 * memory.max where the memory controller is delegated; else each run's process group, process tree and
 * marked processes (found in /proc), with `ulimit -d` on each program.
 */
export async function containment(mode: 'auto' | 'off', memoryMb: number): Promise<Containment> {
  const without = (why: string) =>
    new SweptRuns(
      `without a cgroup per run (${why}): stop and timeout kill the job's process group, its descendants and the processes carrying its ${RUN_MARKER}, found in /proc (a program that leaves its session and clears its environment escapes); JOB_MAX_MEMORY_MB holds each program a job starts alone (ulimit -d), not the run as a whole`,
    );
  if (mode === 'off') return without('JOB_CGROUP=off');
  const runs = await CgroupRuns.open(memoryMb);
  return typeof runs === 'string' ? without(runs) : runs;
}

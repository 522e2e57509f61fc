/** The parts of a V8 .cpuprofile (node --cpu-prof) that the summary reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }>;
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers, and the share of it the process spent on the CPU (not idle). */
  seconds: number;
  busy_pct: number;
  /** Self time by where the code lives (a package, Node's internals, the garbage collector), % of busy. */
  by_module: Array<{ module: string; pct: number }>;
  /** The functions with the most self time, % of busy. */
  by_function: Array<{ function: string; module: string; pct: number }>;
}

const IDLE = '(idle)';

/** Where a frame's code lives: an npm package, one of ours, Node itself, or V8's own entries. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (inPackage) return inPackage[1] as string;
  const ours = /\/(apps|packages)\/([^/]+)\//.exec(url);
  if (ours) return `@tickwork/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

function pct(part: number, whole: number): number {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : 0;
}

/** Self time per module and per function, from the sample counts of each node. */
export function summarizeProfile(profile: CpuProfile, top = 12): ProfileSummary {
  let total = 0;
  let idle = 0;
  const modules = new Map<string, number>();
  const functions = new Map<string, { function: string; module: string; hits: number }>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === IDLE) {
      idle += hits;
      continue;
    }
    const module = moduleOf(url, functionName);
    modules.set(module, (modules.get(module) ?? 0) + hits);
    const file = url.slice(url.lastIndexOf('/') + 1);
    const name = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    const key = `${module}|${name}`;
    const entry = functions.get(key) ?? { function: name, module, hits: 0 };
    entry.hits += hits;
    functions.set(key, entry);
  }
  const busy = total - idle;
  return {
    seconds: Math.round((profile.endTime - profile.startTime) / 1000) / 1000,
    busy_pct: pct(busy, total),
    by_module: [...modules]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, hits]) => ({ module, pct: pct(hits, busy) })),
    by_function: [...functions.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, top)
      .map((f) => ({ function: f.function, module: f.module, pct: pct(f.hits, busy) })),
  };
}

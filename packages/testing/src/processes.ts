import { readdirSync, readFileSync } from 'node:fs';

/**
 * The pids of live processes whose command line (arguments joined by spaces) contains `text`, read from
 * /proc: how tests see that a run's programs exist, or that none is left. Zombies have no command line.
 */
export function processesMatching(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').includes(text)) pids.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return pids;
}

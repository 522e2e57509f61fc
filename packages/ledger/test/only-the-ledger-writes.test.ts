// The ledger is the only code that writes execution state: no other source file appends ledger entries,
// touches the ledger collection or a worker's leases, or builds an entry to write. Tests set states up
// directly; they are not product code and are not scanned.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@tickwork/local-services';
import t from 'tap';

/** Where execution state may be written: the ledger, and the store beneath it. */
const HOMES = ['packages/ledger/src/', 'packages/store/src/'];
/** Allowed elsewhere, each for a reason. */
const ALLOWED: Record<string, string> = {
  'packages/bench/src/scenarios/store-limit.ts': 'measures the store alone, beneath the ledger, on purpose',
  'packages/bench/src/scenarios/api-load.ts': "asks the server to explain the ledger's queries: it reads only",
};
const WRITES = [
  /\.ledger\.append\(/,
  /\.ledger\.collection\b/,
  /\bwriteLease\(/,
  /\bdropLeases\(/,
  /\bLEDGER_COLLECTION\b/,
  /['"]execution_ledger['"]/,
  /\btoLedgerDocument\(/,
  // Building an entry is writing one (their definitions in the domain are not calls).
  /(?<!function )\brecordedEntry\(/,
  /(?<!function )\bstepEntry\(/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

t.test('no source outside the ledger writes execution state', async (t) => {
  const roots = ['apps', 'packages'].flatMap((top) =>
    readdirSync(join(REPO_ROOT, top)).map((name) => join(REPO_ROOT, top, name, 'src')),
  );
  const offenders: string[] = [];
  let scanned = 0;
  for (const root of roots) {
    let files: string[] = [];
    try {
      files = sources(root);
    } catch {
      continue; // a package without src/
    }
    for (const file of files) {
      const path = relative(REPO_ROOT, file);
      if (HOMES.some((home) => path.startsWith(home)) || ALLOWED[path]) continue;
      scanned++;
      const text = readFileSync(file, 'utf8');
      for (const pattern of WRITES) if (pattern.test(text)) offenders.push(`${path}: ${pattern}`);
    }
  }
  t.ok(scanned > 100, `scanned ${scanned} source files`);
  t.same(offenders, [], 'only packages/ledger writes executions');
});

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyReadmeTables, renderEnvExample } from './env-docs.js';

/**
 * `npm run config:docs`: writes `.env.example` and the README's environment tables from the table of
 * variables. With `--check` it changes nothing and exits 1 when either is out of date.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const check = process.argv.includes('--check');
const files = [
  { path: `${root}.env.example`, write: () => renderEnvExample() },
  { path: `${root}README.md`, write: (before: string) => applyReadmeTables(before) },
];
let stale = 0;
for (const file of files) {
  const before = readFileSync(file.path, 'utf8');
  const after = file.write(before);
  if (after === before) continue;
  stale++;
  if (check) console.error(`${file.path} is out of date: run npm run config:docs`);
  else {
    writeFileSync(file.path, after);
    console.log(`wrote ${file.path}`);
  }
}
if (check && stale > 0) process.exit(1);

import { readFileSync } from 'node:fs';
import t from 'tap';
import { applyReadmeTables, readmeTableNames, renderEnvExample } from '../src/env-docs.js';
import { loadConfig, VARIABLES, type Variable } from '../src/index.js';

const root = new URL('../../../', import.meta.url);
const envExample = readFileSync(new URL('.env.example', root), 'utf8');
const readme = readFileSync(new URL('README.md', root), 'utf8');
const rows: readonly Variable[] = VARIABLES;
const STALE = 'out of date: run npm run config:docs and commit the result';

t.test('.env.example is what the table writes', async (t) => {
  t.equal(envExample, renderEnvExample(), `.env.example is ${STALE}`);
});

t.test("the README's environment tables are what the table writes", async (t) => {
  t.ok(readmeTableNames(readme).length > 0, 'the README has env-table markers');
  t.equal(readme, applyReadmeTables(readme), `README.md's env tables are ${STALE}`);
  const names = readmeTableNames(readme);
  t.same(
    names.filter((name, i) => names.indexOf(name) !== i),
    [],
    'each variable in one README table at most',
  );
});

t.test('.env.example read on its own: every variable once, and its values are the defaults', async (t) => {
  // Checked without the renderer, so a renderer bug cannot hide a wrong file.
  const set: Record<string, string> = {};
  const listed: string[] = [];
  for (const line of envExample.split('\n')) {
    const match = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, commented, name = '', value = ''] = match;
    listed.push(name);
    if (!commented) set[name] = value;
  }
  t.same(listed, [...new Set(listed)], 'no variable twice');
  t.same([...listed].sort(), rows.map((row) => row.env).sort(), 'every variable, and no other');
  for (const row of rows) {
    t.equal(row.env in set, row.field.defaultText !== undefined, `${row.env} is set exactly when it has a default`);
  }
  t.same(loadConfig(set), loadConfig({}), 'the values written are the defaults');
});

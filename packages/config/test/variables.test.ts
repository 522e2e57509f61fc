import t from 'tap';
import { SECTIONS, VARIABLES, type Variable } from '../src/index.js';

const rows: readonly Variable[] = VARIABLES;

t.test('each variable and each config key is in the table once', async (t) => {
  const envs = rows.map((row) => row.env);
  t.same(
    envs.filter((env, i) => envs.indexOf(env) !== i),
    [],
  );
  const keys = rows.flatMap((row) => (row.key === undefined ? [] : [row.key]));
  t.same(
    keys.filter((key, i) => keys.indexOf(key) !== i),
    [],
  );
  for (const row of rows) t.ok(/^[A-Z][A-Z0-9_]*$/.test(row.env), `${row.env} is a variable name`);
});

t.test('the default each row documents is the value it reads when unset', async (t) => {
  // .env.example writes NAME=default uncommented: setting it must change nothing.
  for (const row of rows) {
    if (row.field.defaultText === undefined) continue;
    t.same(row.field.parse(row.field.defaultText, row.env), row.field.parse(undefined, row.env), row.env);
  }
});

t.test('docs fit a table cell and a comment; every section is known', async (t) => {
  for (const row of rows) {
    t.notOk(/[|\n]/.test(row.doc), `${row.env}: one line, no |`);
    t.notOk(/[.\s]$/.test(row.doc), `${row.env}: doc is a phrase, ended by the renderer`);
    t.ok(row.section in SECTIONS, `${row.env}: section ${row.section}`);
    if (row.field.defaultText !== undefined) t.equal(row.example, undefined, `${row.env}: a default, no example`);
  }
});

t.test("each section's rows are together, so .env.example opens each section once", async (t) => {
  const order = rows.map((row) => row.section).filter((section, i, all) => section !== all[i - 1]);
  t.same(order, [...new Set(order)]);
});

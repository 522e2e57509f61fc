import { SECTIONS } from './sections.js';
import type { Reader, Variable } from './variable.js';
import { VARIABLES } from './variables.js';

/** `.env.example` and the README's environment tables, written from VARIABLES (`npm run config:docs`). */

const WIDTH = 110;

const HEADER = [
  '# Tickwork configuration. Every variable is optional; the value shown is the default.',
  '# npm start and the apps read the environment; copy what you need into your process manager.',
  '# Written by `npm run config:docs` from packages/config/src/variables.ts: change the table, not this file.',
];

const READERS: Record<Reader, string> = {
  API: 'the API',
  worker: 'workers',
  'API and worker': 'the API and workers',
  'npm start': 'npm start',
};

const rows: readonly Variable[] = VARIABLES;

/** Words as comment lines of at most WIDTH characters. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '#' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** A row's doc as a sentence: capitalised (unless it opens with code) and ended. */
function sentence(text: string): string {
  const ended = /[.!?]$/.test(text) ? text : `${text}.`;
  return ended.charAt(0).toUpperCase() + ended.slice(1);
}

function describe(variable: Variable): string[] {
  const about = [sentence(variable.doc), variable.details ?? ''].join(' ');
  const facts = `Read by ${READERS[variable.readBy]}; ${variable.field.accepts}${variable.secret ? '; a secret, never given to jobs' : ''}.`;
  const value =
    variable.field.defaultText === undefined
      ? `# ${variable.env}=${variable.example ?? ''}`
      : `${variable.env}=${variable.field.defaultText}`;
  return [...comment(about), ...comment(facts), value];
}

export function renderEnvExample(): string {
  const out = [...HEADER];
  let section: Variable['section'] | undefined;
  for (const variable of rows) {
    if (variable.section !== section) {
      section = variable.section;
      out.push('', ...comment(`--- ${SECTIONS[section]}`));
    }
    out.push(...describe(variable));
  }
  return `${out.join('\n')}\n`;
}

/** The README's default column: the value, "unset", or the row's own words when the value alone would mislead. */
function readmeDefault(variable: Variable): string {
  if (variable.defaultDoc !== undefined) return variable.defaultDoc;
  return variable.field.defaultText === undefined ? 'unset' : `\`${variable.field.defaultText}\``;
}

export function renderReadmeTable(names: readonly string[]): string {
  const lines = ['| variable | default | meaning |', '|---|---|---|'];
  for (const name of names) {
    const variable = rows.find((row) => row.env === name);
    if (!variable) throw new Error(`README names ${name}, which is not in packages/config/src/variables.ts`);
    lines.push(`| \`${name}\` | ${readmeDefault(variable)} | ${variable.doc} |`);
  }
  return lines.join('\n');
}

/**
 * In the README, each table between `<!-- env-table: NAME NAME ... -->` and `<!-- /env-table -->` is written
 * from the rows it names: the README chooses which variables each section shows, the table says the rest.
 */
const README_TABLE = /(<!-- env-table: ([A-Z0-9_\s]+?) -->\n)[\s\S]*?(<!-- \/env-table -->)/g;

export function applyReadmeTables(readme: string): string {
  return readme.replace(
    README_TABLE,
    (_all, open: string, names: string, close: string) => `${open}${renderReadmeTable(splitNames(names))}\n${close}`,
  );
}

/** The variables the README's tables name, in order. */
export function readmeTableNames(readme: string): string[] {
  return [...readme.matchAll(README_TABLE)].flatMap((match) => splitNames(match[2] ?? ''));
}

function splitNames(names: string): string[] {
  return names.split(/\s+/).filter(Boolean);
}

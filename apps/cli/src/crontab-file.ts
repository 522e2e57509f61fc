import { CrontabError, CrontabTrigger } from '@tickwork/domain';
import type { TransferJob } from './job-transfer.js';

/** One command line of a crontab file, as cron reads it. */
export interface CrontabEntry {
  /** 1-based line number in the file. */
  line: number;
  /** The schedule: five fields, or an @-macro. */
  schedule: string;
  /** The user column of the system format (/etc/crontab, /etc/cron.d/*); null in a user's crontab. */
  user: string | null;
  /** The command: the text before the first unescaped `%`, with `\%` read as `%`. */
  command: string;
  /** What cron feeds the command on standard input: the text after the first `%`, each further `%` a newline. */
  stdin: string | null;
  /** The `NAME=value` lines above this one, in order (a later one wins): cron's environment for the command. */
  environment: ReadonlyArray<readonly [string, string]>;
}

export interface CrontabFile {
  entries: CrontabEntry[];
  /** Lines that are valid but not imported (`@reboot`: there is no boot for a fleet), with why. */
  skipped: Array<{ line: number; reason: string }>;
  /** Lines cron itself would refuse; the import changes nothing while there are any (as `crontab FILE` refuses). */
  errors: Array<{ line: number; reason: string }>;
}

const MACRO = /^@[a-z]+$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * Reads a crontab the way Vixie cron / cronie do: `#` starts a comment only at the start of a line, blank lines
 * are ignored, `NAME=value` (value optionally quoted) sets the environment of the commands below it, and a
 * command line is five time fields or an @-macro, then (system format only) a user, then the command.
 */
export function parseCrontab(text: string, options: { system: boolean }): CrontabFile {
  const file: CrontabFile = { entries: [], skipped: [], errors: [] };
  const environment: Array<readonly [string, string]> = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // A command line starts with a minute field (digits, `*`, `,-/`) or an @-macro, never with a name.
    const assignment = ASSIGNMENT.exec(trimmed);
    if (assignment) {
      environment.push([assignment[1] as string, unquote((assignment[2] as string).trim())]);
      continue;
    }
    const tokens = trimmed.split(/\s+/);
    const timeTokens = MACRO.test(tokens[0] as string) ? 1 : 5;
    const userTokens = options.system ? 1 : 0;
    if (tokens.length <= timeTokens + userTokens) {
      file.errors.push({
        line,
        reason: `expected ${timeTokens === 1 ? 'an @-macro' : 'five time fields'}${options.system ? ', a user' : ''} and a command`,
      });
      continue;
    }
    const schedule = tokens.slice(0, timeTokens).join(' ');
    if (schedule === '@reboot') {
      file.skipped.push({ line, reason: '@reboot: a fleet has no boot to run it at' });
      continue;
    }
    try {
      new CrontabTrigger(schedule, 'UTC');
    } catch (err) {
      if (!(err instanceof CrontabError)) throw err;
      file.errors.push({ line, reason: err.message });
      continue;
    }
    const user = options.system ? (tokens[timeTokens] as string) : null;
    const [command, stdin] = splitPercent(commandText(trimmed, timeTokens + userTokens));
    if (command.trim() === '') {
      file.errors.push({ line, reason: 'no command before the first %' });
      continue;
    }
    file.entries.push({ line, schedule, user, command, stdin, environment: [...environment] });
  }
  return file;
}

/** The text after the first `count` blank-separated tokens, as written (inner spacing kept). */
function commandText(line: string, count: number): string {
  const skip = new RegExp(`^(?:\\S+\\s+){${count}}`);
  return line.replace(skip, '');
}

/** crontab(5): an unescaped `%` ends the command; the rest is standard input, each further `%` a newline. */
function splitPercent(text: string): [string, string | null] {
  let command = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && text[i + 1] === '%') {
      command += '%';
      i++;
    } else if (ch === '%') {
      const input = text.slice(i + 1);
      return [
        command,
        input
          .split('\\%')
          .map((part) => part.replace(/%/g, '\n'))
          .join('%'),
      ];
    } else {
      command += ch;
    }
  }
  return [command, null];
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) return value.slice(1, -1);
  return value;
}

/** A word for sh, as it is: single-quoted, each `'` written as `'\''`. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export const SHELL_JOB_CLASS = 'simple_scheduler.jobs.shell_job.ShellJob';
/** Job names are the command, cut here: long enough to tell commands apart in a list. */
const NAME_LENGTH = 120;

/**
 * The jobs a crontab's entries become: each a ShellJob running `<shell> -c <script>`, where the shell is the
 * crontab's SHELL (cron's default /bin/sh) and the script exports the environment lines above the entry, then
 * runs the command (fed its `%` input, if any). The schedule is the entry's, read in CRON_TZ when the crontab
 * sets it (cronie's variable), else in `timezone`. Each job is named after its command; a command met again is
 * numbered (" (2)") in file order, so importing the same file again names every job the same.
 */
export function crontabJobs(file: CrontabFile, options: { timezone: string; source: string }): TransferJob[] {
  const seen = new Map<string, number>();
  return file.entries.map((entry) => {
    const env = new Map(entry.environment);
    const shell = env.get('SHELL') || '/bin/sh';
    const exports = [...env].map(([name, value]) => `export ${name}=${shellQuote(value)}`);
    const run = entry.stdin === null ? entry.command : `printf %s ${shellQuote(entry.stdin)} | (${entry.command}\n)`;
    const base = nameOf(entry.command);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return {
      name: count === 1 ? base : `${base} (${count})`,
      job_class_string: SHELL_JOB_CLASS,
      pub_args: [shell, '-c', [...exports, run].join('\n')],
      cron: entry.schedule,
      timezone: env.get('CRON_TZ') || options.timezone,
      description: `from crontab ${options.source}${entry.user === null ? '' : ` (user ${entry.user})`}`,
    };
  });
}

function nameOf(command: string): string {
  const words = command.trim().split(/\s+/).join(' ');
  return words.length <= NAME_LENGTH ? words : `${words.slice(0, NAME_LENGTH - 1)}…`;
}

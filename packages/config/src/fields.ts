import { ConfigError } from './config-error.js';

/**
 * How one variable is read: its parser, and what the generated docs say of it. `parse` gets the raw value
 * (undefined when unset) and the variable's name for its errors.
 */
export interface Field<T> {
  readonly parse: (raw: string | undefined, name: string) => T;
  /** The default as `.env.example` writes it; undefined when the variable is unset by default. */
  readonly defaultText: string | undefined;
  /** What values it takes, in words for the docs, e.g. "a whole number from 1 to 3600". */
  readonly accepts: string;
}

/** A check on a present value: undefined when it passes, else the error after the variable's name. */
export type Check<T = string> = (value: T) => string | undefined;

/** The trimmed value, or undefined when unset or blank: blank counts as unset throughout. */
export function present(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function checked<T>(name: string, value: T, check: Check<T> | undefined): T {
  const problem = check?.(value);
  if (problem !== undefined) throw new ConfigError(name, problem);
  return value;
}

export function integer(options: { default: number; min: number; max: number }): Field<number> {
  const { min, max } = options;
  return {
    defaultText: String(options.default),
    accepts: `a whole number from ${min} to ${max}`,
    parse(raw, name) {
      const value = present(raw);
      if (value === undefined) return options.default;
      if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(value)}`);
      const number = Number(value);
      if (number < min || number > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${number}`);
      return number;
    },
  };
}

const TRUE = /^(true|1|yes|on)$/i;
const FALSE = /^(false|0|no|off)$/i;

export function boolean(options: { default: boolean }): Field<boolean> {
  return {
    defaultText: String(options.default),
    accepts: 'true or false (also 1/0, yes/no, on/off)',
    parse(raw, name) {
      const value = present(raw);
      if (value === undefined) return options.default;
      if (TRUE.test(value)) return true;
      if (FALSE.test(value)) return false;
      throw new ConfigError(name, `must be true or false, got ${JSON.stringify(value)}`);
    },
  };
}

/** True when the value is one `boolean` takes, for variables that take a boolean or something else. */
export function isBooleanText(value: string): boolean {
  return TRUE.test(value) || FALSE.test(value);
}

/** A string with a default; `check` refuses values (the default included, which must pass). */
export function text(options: { default: string; accepts: string; check?: Check }): Field<string> {
  return {
    defaultText: options.default,
    accepts: options.accepts,
    parse: (raw, name) => checked(name, present(raw) ?? options.default, options.check),
  };
}

/**
 * A string that is unset by default. `verbatim` keeps spaces at either end (a password is taken as written);
 * an empty value is unset either way.
 */
export function optionalText(options: {
  accepts: string;
  check?: Check;
  verbatim?: boolean;
}): Field<string | undefined> {
  return {
    defaultText: undefined,
    accepts: options.accepts,
    parse(raw, name) {
      const value = options.verbatim ? raw || undefined : present(raw);
      return value === undefined ? undefined : checked(name, value, options.check);
    },
  };
}

export function oneOf<const T extends string>(options: { values: readonly T[]; default: T }): Field<T> {
  const { values } = options;
  return {
    defaultText: options.default,
    accepts: `one of ${values.join(', ')}`,
    parse(raw, name) {
      const value = present(raw);
      if (value === undefined) return options.default;
      if (!(values as readonly string[]).includes(value)) {
        throw new ConfigError(name, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
      }
      return value as T;
    },
  };
}

/** An absolute URL with one of these schemes, unset by default. */
export function url(options: { schemes: readonly string[] }): Field<string | undefined> {
  const { schemes } = options;
  const starts = schemes.map((s) => `${s}://`).join(' or ');
  return {
    defaultText: undefined,
    accepts: `a URL starting with ${starts}`,
    parse(raw, name) {
      const value = present(raw);
      if (value === undefined) return undefined;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new ConfigError(name, 'is not a URL');
      }
      if (!schemes.includes(parsed.protocol.replace(/:$/, '')))
        throw new ConfigError(name, `must start with ${starts}`);
      return value;
    },
  };
}

/** Comma-separated values, each trimmed (and lowercased when asked), empty ones dropped, each checked. */
export function list(options: {
  default?: readonly string[];
  accepts: string;
  lowercase?: boolean;
  check?: Check;
}): Field<string[]> {
  const fallback = options.default ?? [];
  return {
    defaultText: fallback.length === 0 ? undefined : fallback.join(','),
    accepts: options.accepts,
    parse(raw, name) {
      const value = present(raw);
      if (value === undefined) return [...fallback];
      const items = value
        .split(',')
        .map((s) => (options.lowercase ? s.trim().toLowerCase() : s.trim()))
        .filter(Boolean);
      for (const item of items) checked(name, item, options.check);
      return items;
    },
  };
}

/** A value with a parser of its own (a structured form); `defaultText` as the docs show the default. */
export function custom<T>(options: {
  defaultText: string | undefined;
  accepts: string;
  parse: (value: string | undefined, name: string) => T;
}): Field<T> {
  return {
    defaultText: options.defaultText,
    accepts: options.accepts,
    parse: (raw, name) => options.parse(present(raw), name),
  };
}

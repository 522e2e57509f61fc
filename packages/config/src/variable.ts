import type { Field } from './fields.js';
import type { SECTIONS } from './sections.js';

/** Which processes read a variable: the ones whose environment must hold it. */
export type Reader = 'API' | 'worker' | 'API and worker' | 'npm start';

/** One row of the configuration table (`variables.ts`). */
export interface Variable<T = unknown> {
  /** The environment variable. */
  readonly env: string;
  /** Its property in `Config`; none for variables only `npm start` reads (it parses those itself). */
  readonly key?: string;
  /** `Config` holds the key as optional (`key?:`) rather than as `T | undefined`. */
  readonly optionalKey?: boolean;
  readonly field: Field<T>;
  readonly readBy: Reader;
  /** Never given to a job's process, even when JOB_ENV_PASSTHROUGH names it. */
  readonly secret?: boolean;
  /** The `.env.example` section it is listed in. */
  readonly section: keyof typeof SECTIONS;
  /** One line: the README tables' meaning, and the first line of its comment in `.env.example`. */
  readonly doc: string;
  /** More for `.env.example`'s comment. */
  readonly details?: string;
  /** For a variable unset by default, the value `.env.example` shows commented out. */
  readonly example?: string;
  /** The README tables' default when the value alone would mislead (e.g. what `npm start` sets). */
  readonly defaultDoc?: string;
}

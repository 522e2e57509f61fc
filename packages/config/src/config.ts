import type { Field } from './fields.js';
import type { VARIABLES } from './variables.js';

type Row = (typeof VARIABLES)[number];
type Keyed = Extract<Row, { key: string }>;
type ValueOf<R> = R extends { field: Field<infer T> } ? T : never;
type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * Tickwork's configuration as `loadConfig` returns it: one property per row of VARIABLES that has a `key`,
 * typed by its field's parser (rows with `optionalKey` give an optional property). Not written by hand, so it
 * cannot drift from the table.
 */
export type Config = Flatten<
  { [R in Keyed as R extends { optionalKey: true } ? never : R['key']]: ValueOf<R> } & {
    [R in Keyed as R extends { optionalKey: true } ? R['key'] : never]?: Exclude<ValueOf<R>, undefined>;
  }
>;

import type { State } from '../lib/types.js';

/** The state as a coloured word (the colour repeats the word, never replaces it). */
export function StateBadge({ state }: { state: State }) {
  return <span class={`badge state-${state.replace(' ', '-')}`}>{state}</span>;
}

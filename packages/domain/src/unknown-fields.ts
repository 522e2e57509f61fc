import { closest, distance } from 'fastest-levenshtein';
import { ValidationError } from './validation-error.js';

/**
 * Refuses the fields of `body` that are neither `known` nor `echoed` (read-only fields a GET shows, which a
 * read-modify-write client sends back and which are ignored), naming each and the known field it most likely
 * meant: a misspelt `minutes` would otherwise be dropped in silence and the job fire at another time.
 */
export function refuseUnknownFields(body: unknown, known: readonly string[], echoed: readonly string[] = []): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const unknown = Object.keys(body).filter((key) => !known.includes(key) && !echoed.includes(key));
  if (unknown.length === 0) return;
  const named = unknown.map((key) => {
    const guess = likelyMeant(key, known);
    return `${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`;
  });
  throw new ValidationError(
    unknown[0] as string,
    `unknown field${unknown.length > 1 ? 's' : ''} ${named.join(', ')}; the fields are ${known.join(', ')}`,
  );
}

/**
 * The known field `key` most likely meant: one within a few edits (a third of its length, at least 1), else
 * one it begins with or that begins with it (`timeout_sec`, `notify`), else none.
 */
function likelyMeant(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const guess = closest(lower, known as string[]);
  if (distance(lower, guess) <= Math.max(1, Math.floor(lower.length / 3))) return guess;
  return known.find((field) => lower.length >= 4 && (lower.startsWith(field) || field.startsWith(lower)));
}

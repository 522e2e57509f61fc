/** Arguments typed into the job dialog: a JSON array, or a message saying what is wrong with it. */
export function parseArguments(text: string): { args: unknown[] } | { error: string } {
  if (text.trim() === '') return { args: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!Array.isArray(value)) return { error: 'Arguments must be a JSON array, e.g. ["a", 1]' };
  return { args: value };
}

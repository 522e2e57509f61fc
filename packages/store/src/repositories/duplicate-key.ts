/** MongoDB's duplicate-key error (FerretDB sends the code without keyValue/keyPattern). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** ndscheduler's ids: a uuid4 as 32 lowercase hex digits (Web Crypto: Node and the browser alike). */
export function newId(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '');
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}

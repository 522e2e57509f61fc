import { randomUUID } from 'node:crypto';

/** ndscheduler's ids: a uuid4 as 32 lowercase hex digits. */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}

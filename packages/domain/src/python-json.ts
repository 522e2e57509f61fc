/**
 * `json.dumps(value, indent=4, sort_keys=True)` as Python writes it: ndscheduler stores a job's return value
 * in this form, and clients compare the text.
 */
export function pythonJsonDumps(value: unknown): string {
  return dump(value === undefined ? null : value, '');
}

function dump(value: unknown, indent: string): string {
  if (value === null || value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return asciiString(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + dump(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value instanceof Date) return asciiString(value.toISOString());
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return dump(toJSON.call(value), indent);
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  if (keys.length === 0) return '{}';
  const entries = keys.map((k) => `${inner}${asciiString(k)}: ${dump((value as Record<string, unknown>)[k], inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** Python's ensure_ascii: everything outside printable ASCII as \uXXXX. */
function asciiString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

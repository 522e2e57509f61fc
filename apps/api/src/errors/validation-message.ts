import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

/** One ajv error as a sentence that names the field: "name must be string", "job_class_string is required". */
export function validationMessage(errors: FastifySchemaValidationError[], context: string | undefined): string {
  // A failed union reports each branch first; the union's own error says what was wanted.
  const first = errors.find((e) => e.keyword === 'anyOf' && e.instancePath === errors[0]?.instancePath) ?? errors[0];
  if (!first) return 'incorrect parameters';
  const params = first.params as Record<string, unknown>;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (first.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `${path ? `${path}.` : ''}${params.missingProperty} is required`;
  }
  if (!path && context === 'body' && first.keyword === 'type') return 'request body must be a JSON object';
  const subject = path || (context === 'body' ? 'request body' : (context ?? 'request'));
  if (first.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    const values = params.allowedValues.map(String);
    return `${subject} must be ${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0]}`;
  }
  if (first.keyword === 'anyOf' || first.keyword === 'oneOf') {
    const branches = errors.filter((e) => e.instancePath === first.instancePath && e !== first).map(branchWanted);
    return `${subject} must be ${[...new Set(branches)].join(' or ') || 'of another type'}`;
  }
  return `${subject} ${first.message ?? 'is invalid'}`;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  null: 'null',
  array: 'an array',
  object: 'an object',
  boolean: 'true or false',
};

/** What one branch of a union wanted, in words: "a whole number", "a number >= 1", "null". */
function branchWanted(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'type') return TYPE_WORDS[String(params.type)] ?? String(params.type);
  if (typeof params.comparison === 'string') return `a number ${params.comparison} ${params.limit}`;
  if (error.keyword === 'pattern') return `text matching ${params.pattern}`;
  return error.message ?? 'another value';
}

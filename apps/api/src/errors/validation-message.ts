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
  if (first.keyword === 'anyOf' || first.keyword === 'oneOf') return `${subject} must be a string or a whole number`;
  return `${subject} ${first.message ?? 'is invalid'}`;
}

import { isId } from '@tickwork/domain';
import { ApiError } from '../errors/api-error.js';

/** A 400 naming the parameter unless `value` is an id as Tickwork makes them (and ndscheduler did). */
export function assertId(value: string, name: 'job_id' | 'execution_id'): void {
  if (!isId(value))
    throw ApiError.badRequest(`Invalid ${name}: ${JSON.stringify(value)} is not 32 lowercase hex digits`);
}

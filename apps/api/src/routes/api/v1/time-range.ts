import { parseTime } from '@tickwork/domain';
import { type Static, Type } from 'typebox';
import { ApiError } from '../../../errors/api-error.js';

export const TimeRangeQuery = Type.Object({
  time_range_start: Type.Optional(Type.String({ maxLength: 64 })),
  time_range_end: Type.Optional(Type.String({ maxLength: 64 })),
});
export type TimeRangeQuery = Static<typeof TimeRangeQuery>;

const DEFAULT_SPAN_MS = 10 * 60 * 1000;

/** ndscheduler's list window: the last 10 minutes unless the client names its own, start <= end. */
export function timeRange(query: TimeRangeQuery, now = Date.now()): { start: Date; end: Date } {
  const parse = (name: keyof TimeRangeQuery): number | undefined => {
    const text = query[name];
    if (text === undefined || text === '') return undefined;
    const ms = parseTime(text);
    if (ms === null) throw ApiError.badRequest(`${name} is not an ISO-8601 time: ${JSON.stringify(text)}`);
    return ms;
  };
  const end = parse('time_range_end') ?? now;
  const start = parse('time_range_start') ?? end - DEFAULT_SPAN_MS;
  if (start > end) throw ApiError.badRequest('time_range_start is after time_range_end');
  return { start: new Date(start), end: new Date(end) };
}

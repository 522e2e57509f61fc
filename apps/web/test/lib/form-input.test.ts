import t from 'tap';
import { parseArguments } from '../../src/lib/json-args.js';
import { rangeQuery } from '../../src/lib/time-range.js';

t.test('arguments: a JSON array, or a message saying what is wrong', async (t) => {
  t.same(parseArguments('["a", 1, {"b": null}]'), { args: ['a', 1, { b: null }] });
  t.same(parseArguments('  '), { args: [] });
  t.match(parseArguments('["a",'), { error: /^Not valid JSON: / });
  t.same(parseArguments('{"a": 1}'), { error: 'Arguments must be a JSON array, e.g. ["a", 1]' });
  t.same(parseArguments('"a"'), { error: 'Arguments must be a JSON array, e.g. ["a", 1]' });
});

t.test('time ranges: the last N up to now, or a custom range checked first', async (t) => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  t.same(rangeQuery({ choice: '1h', from: '', to: '' }, now), {
    query: 'time_range_start=2026-01-01T11%3A00%3A00.000Z&time_range_end=2026-01-01T12%3A00%3A00.000Z',
    start: now - 3_600_000,
    end: now,
  });
  t.match(rangeQuery({ choice: '24h', from: '', to: '' }, now), { start: now - 86_400_000, end: now });
  t.same(rangeQuery({ choice: 'custom', from: '', to: '' }, now), {
    error: 'Choose both the start and the end of the custom range',
  });
  t.same(rangeQuery({ choice: 'custom', from: '2026-01-02T00:00', to: '2026-01-01T00:00' }, now), {
    error: 'The start of the range is after its end',
  });
  const custom = rangeQuery({ choice: 'custom', from: '2026-01-01T00:00', to: '2026-01-01T06:00' }, now);
  t.ok('query' in custom && custom.end - custom.start === 6 * 3_600_000, 'six hours');
});

// The audit log's last day, kept in memory by bucket once a bucket has closed: what a list shows stays what
// the store holds, and a poll of the last day costs the store only the buckets still open.
import { DAY_MS, dayOf } from '@tickwork/domain';
import { Store } from '@tickwork/store';
import { testEnvironment } from '@tickwork/testing';
import t from 'tap';

const environment = testEnvironment(t);
const store = await Store.open(environment.env.MONGODB_URL as string);
t.teardown(() => store.close());

const entry = (description: string) => ({
  job_id: 'j1',
  job_name: 'nightly',
  event: 'modified' as const,
  user: 'ann',
  description,
});
const lastDay = async () => {
  const now = Date.now();
  const page = await store.auditLogs.listCreatedBetween(new Date(now - DAY_MS), new Date(now), 1000);
  return page.items.map((doc) => doc.description);
};
const readsOf = () =>
  store.commands
    .drain()
    .filter(([command, collection]) => command === 'find' && collection === 'audit_logs')
    .reduce((sum, [, , n]) => sum + n, 0);

t.test('closed buckets are read once; new entries and deleted days show at once', async (t) => {
  const now = Date.now();
  await store.auditLogs.add(entry('five hours ago'), now - 5 * 3600_000);
  await store.auditLogs.add(entry('an hour ago'), now - 3600_000);
  await store.auditLogs.warm();
  readsOf();
  t.same(await lastDay(), ['an hour ago', 'five hours ago']);
  t.ok(readsOf() <= 2, 'only the open buckets are read once warm');

  await store.auditLogs.add(entry('just now'));
  t.same(await lastDay(), ['just now', 'an hour ago', 'five hours ago'], 'a new entry shows on the next look');

  const day = dayOf(now - 5 * 3600_000);
  await store.auditLogs.deleteDay(day);
  const left = await lastDay();
  t.notOk(left.includes('five hours ago'), 'a deleted day is gone from the list');
  const kept = [
    ['just now', now],
    ['an hour ago', now - 3600_000],
  ] as const;
  t.same(
    left,
    kept.filter(([, at]) => dayOf(at) !== day).map(([d]) => d),
    'the other days stay',
  );
});

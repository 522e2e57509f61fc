// Lists answer at most `limit` items (10,000 when not asked for fewer); a list that was cut says
// `truncated: true` and gives a cursor to the next page. Paging through gives every item once, in order.
import { testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);

/** Follows next_cursor from page to page; returns every page's items. */
async function pages(
  path: string,
  key: string,
  limit: number,
): Promise<{ items: Array<Record<string, string>>; sizes: number[] }> {
  const items: Array<Record<string, string>> = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const { status, body } = await api.request('GET', url);
    if (status !== 200) throw new Error(`${url}: ${status} ${JSON.stringify(body)}`);
    items.push(...body[key]);
    sizes.push(body[key].length);
    cursor = body.truncated ? body.next_cursor : undefined;
  } while (cursor);
  return { items, sizes };
}

t.test('jobs, executions and the audit log page through every item once', async (t) => {
  const jobIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { body } = await api.request('POST', '/api/v1/jobs', {
      name: `job ${i}`,
      job_class_string: 'a.B',
      hour: '0',
    });
    jobIds.push(body.job_id);
    await api.request('POST', `/api/v1/executions/${body.job_id}`);
  }
  const jobs = await pages('/api/v1/jobs', 'jobs', 2);
  t.same(jobs.sizes, [2, 2, 1]);
  t.same(
    jobs.items.map((j) => j.job_id),
    jobIds,
    'in the order they were added',
  );

  const executions = await pages('/api/v1/executions', 'executions', 2);
  t.same(executions.sizes, [2, 2, 1]);
  t.equal(new Set(executions.items.map((e) => e.execution_id)).size, 5, 'each run once');

  const logs = await pages('/api/v1/logs', 'logs', 3);
  t.same(logs.sizes, [3, 3, 3, 1]);
  t.same(logs.items.map((l) => l.event).sort(), [...Array(5).fill('added'), ...Array(5).fill('custom_run')].sort());

  const whole = await api.request('GET', '/api/v1/jobs');
  t.same(Object.keys(whole.body), ['jobs'], "under the cap: all of it, in ndscheduler's shape");
  t.equal(whole.body.jobs.length, 5);
});

t.test('bad paging is a 400 naming the problem', async (t) => {
  for (const [query, message] of [
    ['limit=0', /^limit must be between 1 and 10000$/],
    ['limit=10001', /^limit must be between 1 and 10000$/],
    ['limit=ten', /limit/],
    ['cursor=bm90LWEtY3Vyc29y', /^cursor is not one this API handed out$/],
    // A time past what a Date holds.
    [`cursor=${Buffer.from(JSON.stringify([1e300, 'x'])).toString('base64url')}`, /^cursor is not one/],
  ] as const) {
    for (const list of ['jobs', 'executions', 'logs']) {
      const res = await api.request('GET', `/api/v1/${list}?${query}`);
      t.equal(res.status, 400, `${list}?${query}`);
      t.match(res.body.error, message, `${list}?${query}`);
    }
  }
});

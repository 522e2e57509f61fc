import t from 'tap';
import { CONFIG_ERROR_EXIT_CODE, GIVE_UP_AFTER, RestartPolicy, STABLE_MS } from '../src/restart-policy.js';

t.test('a child that ran a while is restarted at once, every time', async (t) => {
  const policy = new RestartPolicy();
  for (let i = 0; i < 10; i++) t.match(policy.onExit(STABLE_MS + 1, null), { restart: true, delayMs: 0 });
});

t.test('deaths soon after a start back off, 1 s doubling, then give up', async (t) => {
  const policy = new RestartPolicy();
  const delays = [];
  for (let i = 1; i < GIVE_UP_AFTER; i++) {
    const decision = policy.onExit(500, 1);
    t.ok(decision.restart, `quick death ${i} is restarted`);
    if (decision.restart) delays.push(decision.delayMs);
  }
  t.same(delays, [1000, 2000, 4000, 8000]);
  t.same(policy.onExit(500, 1), {
    restart: false,
    why: `it died ${GIVE_UP_AFTER} times in a row within 30 s of starting`,
  });
});

t.test('a stable run in between starts the count again', async (t) => {
  const policy = new RestartPolicy();
  for (let i = 1; i < GIVE_UP_AFTER; i++) policy.onExit(100, 1);
  t.match(policy.onExit(STABLE_MS, null), { restart: true, delayMs: 0 }, 'it ran long enough');
  t.match(policy.onExit(100, 1), { restart: true, delayMs: 1000, quickDeathsInARow: 1 });
});

t.test('a refused configuration is not restarted', async (t) => {
  t.same(new RestartPolicy().onExit(STABLE_MS * 10, CONFIG_ERROR_EXIT_CODE), {
    restart: false,
    why: 'its configuration was refused',
  });
});

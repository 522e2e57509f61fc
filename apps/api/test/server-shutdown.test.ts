// The API process stops on SIGTERM or SIGINT: it says so once, closes, and exits 0 — a second signal (npm start
// in a terminal sends two) neither cuts the close short nor starts another.
import { spawnApi, testEnvironment, waitFor } from '@tickwork/testing';
import t from 'tap';

const environment = testEnvironment(t, { LOG_LEVEL: 'info' });

for (const [first, second] of [
  ['SIGTERM', 'SIGINT'],
  ['SIGINT', 'SIGTERM'],
] as const) {
  t.test(`${first}, then ${second}: one graceful stop, exit 0`, async (t) => {
    const api = await spawnApi(t, environment);
    const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)));
    api.child.kill(first);
    await waitFor(
      'the API to say it stops',
      () => api.output.some((line) => line.includes('"msg":"stopping"')),
      10_000,
      5,
    );
    api.child.kill(second);
    t.equal(await exited, 0, 'exits 0');
    const stopping = api.output.filter((line) => line.includes('"msg":"stopping"'));
    t.equal(stopping.length, 1, 'said once');
    t.match(stopping[0], `"signal":"${first}"`);
    t.notOk(
      api.output.some((line) => line.includes('unclean stop')),
      'a clean stop',
    );
  });
}

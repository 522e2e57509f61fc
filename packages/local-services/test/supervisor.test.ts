// The Supervisor with real child processes: a killed child comes back and the others are left alone; a
// child that cannot run stops the stack showing its last lines.
import { waitFor } from '@tickwork/testing';
import t from 'tap';
import { spawnService } from '../src/child-process.js';
import { Supervisor } from '../src/supervisor.js';

const SLEEPER = 'console.log("up"); setInterval(() => {}, 1000)';

function node(script: string) {
  return (record: (line: string) => void) => spawnService(process.execPath, ['-e', script], record);
}

t.test('a child killed with -9 is restarted; the others keep running', async (t) => {
  const said: string[] = [];
  const gaveUp: string[] = [];
  const supervisor = new Supervisor({ say: (l) => said.push(l), giveUp: (name) => gaveUp.push(name) });
  t.teardown(() => supervisor.stop(2000));
  const pids: { a: number[]; b: number[] } = { a: [], b: [] };
  for (const name of ['a', 'b'] as const) {
    supervisor.add(name, (record) => {
      const child = node(SLEEPER)(record);
      pids[name].push(child.pid as number);
      return child;
    });
  }
  await waitFor('both up', () => pids.a.length === 1 && pids.b.length === 1);
  process.kill(pids.a[0] as number, 'SIGKILL');
  await waitFor('a restarted', () => pids.a.length === 2);
  t.match(said, [
    /^a exited \(SIGKILL\) after \d+\.\d s; restarting it (?:now|in 1 s) \(first restart; the others keep running\)$/,
  ]);
  t.equal(pids.b.length, 1, 'b was not restarted');
  process.kill(pids.b[0] as number, 0);
  t.pass('b still runs');
  t.same(gaveUp, []);
});

t.test('a child that exits with a configuration error stops the stack with its last lines', async (t) => {
  const gaveUp: Array<{ name: string; why: string; lastLines: string[] }> = [];
  const supervisor = new Supervisor({
    say: () => undefined,
    giveUp: (name, why, lastLines) => gaveUp.push({ name, why, lastLines }),
  });
  t.teardown(() => supervisor.stop(2000));
  supervisor.add('api', node('console.error("configuration error: PORT must be a number"); process.exit(2)'));
  await waitFor('the supervisor to give up', () => gaveUp.length === 1);
  t.same(gaveUp, [
    { name: 'api', why: 'its configuration was refused', lastLines: ['configuration error: PORT must be a number'] },
  ]);
});

t.test('stop ends every child and restarts none', async (t) => {
  const said: string[] = [];
  const supervisor = new Supervisor({ say: (l) => said.push(l), giveUp: () => undefined });
  const children: number[] = [];
  supervisor.add('w', (record) => {
    const child = node(SLEEPER)(record);
    children.push(child.pid as number);
    return child;
  });
  await waitFor('w up', () => children.length === 1);
  await supervisor.stop(2000);
  t.throws(() => process.kill(children[0] as number, 0), 'it is gone');
  t.equal(children.length, 1, 'and was not started again');
  t.same(said, []);
});

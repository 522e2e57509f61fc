// How a service process stops on SIGINT/SIGTERM, against a stand-in for the process: one graceful close,
// exit 0 or 1, later signals ignored, and exit 1 when the close outlives its grace.
import { EventEmitter } from 'node:events';
import { stopOnSignals } from '@tickwork/config';
import t from 'tap';

function fakeProcess() {
  const emitter = new EventEmitter();
  const codes: number[] = [];
  let exited: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    exited = resolve;
  });
  const lines: Array<[string, object, string]> = [];
  return {
    target: Object.assign(emitter, {
      exit(code: number) {
        codes.push(code);
        exited(code);
      },
    }),
    codes,
    exit,
    lines,
    log: {
      info: (obj: object, msg: string) => lines.push(['info', obj, msg]),
      error: (obj: object, msg: string) => lines.push(['error', obj, msg]),
    },
  };
}

t.test('the first signal closes once and exits 0; later signals are ignored', async (t) => {
  const proc = fakeProcess();
  let closes = 0;
  let finish: () => void = () => {};
  stopOnSignals({
    log: proc.log,
    target: proc.target,
    close: () => {
      closes++;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    },
  });
  proc.target.emit('SIGINT');
  proc.target.emit('SIGTERM');
  proc.target.emit('SIGINT');
  t.equal(closes, 1, 'one close, however many signals');
  t.same(proc.codes, [], 'and no exit while it goes on');
  finish();
  t.equal(await proc.exit, 0);
  t.same(proc.lines, [['info', { signal: 'SIGINT' }, 'stopping']]);
  t.equal(proc.target.listenerCount('SIGTERM'), 1, 'still listening: a later signal does not kill the process');
});

t.test('a close that fails exits 1, saying so', async (t) => {
  const proc = fakeProcess();
  stopOnSignals({ log: proc.log, target: proc.target, close: async () => Promise.reject(new Error('store hung up')) });
  proc.target.emit('SIGTERM');
  t.equal(await proc.exit, 1);
  t.match(proc.lines, [
    ['info', { signal: 'SIGTERM' }, 'stopping'],
    ['error', { err: { message: 'store hung up' } }, 'unclean stop'],
  ]);
});

t.test('a close still going on when its grace runs out exits 1', async (t) => {
  const proc = fakeProcess();
  stopOnSignals({ log: proc.log, target: proc.target, graceMs: 20, close: () => new Promise<void>(() => {}) });
  proc.target.emit('SIGTERM');
  t.equal(await proc.exit, 1);
  t.match(proc.lines[1], ['error', { grace_ms: 20 }, 'stop did not finish in time; exiting']);
});

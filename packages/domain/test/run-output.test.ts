import t from 'tap';
import { CappedOutput, OUTPUT_CUT_NOTE, outputFrom, outputLine } from '../src/run-output.js';

t.test('lines: info as logged, warnings and errors marked', async (t) => {
  t.equal(outputLine('info', 'hello'), 'hello\n');
  t.equal(outputLine('warn', 'careful'), '[warn] careful\n');
  t.equal(outputLine('error', 'broken'), '[error] broken\n');
});

t.test('output is kept whole below the cap', async (t) => {
  const output = new CappedOutput(100);
  t.equal(output.add('one\n'), 'one\n');
  t.equal(output.add('two\n'), 'two\n');
  t.equal(output.text(), 'one\ntwo\n');
  t.equal(output.truncated, false);
});

t.test('the line that passes the cap is cut, the note follows, and nothing more is kept', async (t) => {
  const output = new CappedOutput(10);
  output.add('12345\n');
  t.equal(output.add('abcdefgh\n'), `abcd${OUTPUT_CUT_NOTE}`);
  t.equal(output.add('more\n'), '');
  t.equal(output.text(), `12345\nabcd${OUTPUT_CUT_NOTE}`);
  t.equal(output.truncated, true);
});

t.test('a cut never splits a character', async (t) => {
  const output = new CappedOutput(4);
  output.add('aé€\n'); // 1 + 2 + 3 bytes: the euro sign does not fit whole
  t.equal(output.text(), `aé${OUTPUT_CUT_NOTE}`);
});

t.test('reading from an offset counts UTF-8 bytes', async (t) => {
  t.same(outputFrom('é-a', 0), { output: 'é-a', next_offset: 4 });
  t.same(outputFrom('é-a', 2), { output: '-a', next_offset: 4 });
  t.same(outputFrom('é-a', 4), { output: '', next_offset: 4 });
  t.same(outputFrom('é-a', 99), { output: '', next_offset: 4 });
});

// A ShellJob's output is kept line by line as the program wrote its lines, however the pipe cut them into
// chunks: a line written in pieces, or longer than a pipe chunk (64 KiB), is one line; a last line without a
// newline is kept too. Through the API, from a real worker.
import { testEnvironment } from '@tickwork/testing';
import { runShellJob, startApi, startWorker } from '@tickwork/testkit';
import t from 'tap';

const environment = testEnvironment(t);
const api = await startApi(t, environment);
await startWorker(t, environment);

t.test('a line written in pieces is one line; so is a last one without newline', async (t) => {
  const run = await runShellJob(api, [
    '/bin/sh',
    '-c',
    "printf abc; sleep 0.2; printf 'def\\n'; printf x >&2; sleep 0.2; printf 'y\\n' >&2; printf 'no newline'",
  ]);
  t.equal(run.state, 'succeeded');
  // stdout's and stderr's lines may interleave either way: compare them as a set.
  t.same(run.output.split('\n').sort(), ['', '[warn] xy', 'abcdef', 'no newline'], run.output);
});

t.test('a line longer than a pipe chunk is one line', async (t) => {
  const run = await runShellJob(api, ['perl', '-e', 'print "x" x 100000, "\\n", "after\\n"']);
  t.equal(run.state, 'succeeded');
  t.equal(run.output, `${'x'.repeat(100_000)}\nafter\n`);
});

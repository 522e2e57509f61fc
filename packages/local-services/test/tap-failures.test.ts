import t from 'tap';
import { TapFailures } from '../src/tap-failures.js';

// What tap 21 prints (its "tap" reporter) for a file with a failed assertion two subtests deep, a subtest that
// threw, and a file that crashed before any assertion.
const OUTPUT = `TAP version 14
1..3
# Subtest: apps/a.test.ts
    # Subtest: outer
        # Subtest: inner
            not ok 1 - one is two
              ---
              compare: ===
              diff: |
                --- expected
                +++ actual
                -2
                +1
              ...
            
            ok 2 - should be equal
            1..2
        not ok 1 - inner # time=45.241ms
          ---
          at:
            lineNumber: 3
          ...
        
        ok 2 - fine
        1..2
    not ok 1 - outer # time=55.449ms
      ---
      at:
        lineNumber: 2
      ...
    
    # Subtest: threw
        ok 1 - first
        not ok 2 - boom
          ---
          stack: |
            Error: boom
          ...
        1..2
    not ok 2 - threw # time=5ms
    1..2
not ok 1 - apps/a.test.ts # time=100ms
# Subtest: apps/b.test.ts
    ok 1 - passes
    1..1
ok 2 - apps/b.test.ts # time=10ms
# Subtest: apps/c.test.ts
    1..0 # no tests found
not ok 3 - apps/c.test.ts # time=2371.101ms
  ---
  exitCode: 1
  ...

# { total: 3, pass: 1, fail: 2 }
`;

t.test('the suite ends with each failure, under its file and subtests, with its diagnostics', async (t) => {
  const failures = new TapFailures();
  for (const line of OUTPUT.split('\n')) failures.push(line);
  t.equal(failures.count, 3);
  const summary = failures.summary();
  t.match(summary, /^failed: apps\/a\.test\.ts > outer > inner > one is two\n {14}compare: ===\n/);
  t.match(summary, /\+1\nfailed: apps\/a\.test\.ts > threw > boom\n {10}stack: \|\n {12}Error: boom\n/);
  t.match(summary, /failed: apps\/c\.test\.ts\n {2}exitCode: 1$/, 'a file that failed with no assertion is named');
  t.notMatch(
    summary,
    /b\.test\.ts|failed: apps\/a\.test\.ts > outer\n|lineNumber: 2/,
    'passing files and the subtests around a failure are not listed again',
  );
});

t.test('nothing is listed when all passed', async (t) => {
  const failures = new TapFailures();
  for (const line of [
    '# Subtest: apps/b.test.ts',
    '    ok 1 - passes',
    '    1..1',
    'ok 1 - apps/b.test.ts # time=10ms',
  ]) {
    failures.push(line);
  }
  t.equal(failures.count, 0);
  t.equal(failures.summary(), '');
});

t.test('long diagnostics are cut', async (t) => {
  const failures = new TapFailures(3);
  for (const line of [
    'not ok 1 - big',
    '  ---',
    ...Array.from({ length: 10 }, (_, i) => `  line ${i}`),
    '  ...',
    'ok 2 - next',
  ]) {
    failures.push(line);
  }
  t.equal(failures.summary(), 'failed: big\n  line 0\n  line 1\n  line 2');
});

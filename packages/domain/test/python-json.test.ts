import t from 'tap';
import { pythonJsonDumps } from '../src/python-json.js';

t.test('matches json.dumps(value, indent=4, sort_keys=True)', async (t) => {
  // Expected texts written by Python 3.11's json module.
  t.equal(pythonJsonDumps(['arg1', 2]), '[\n    "arg1",\n    2\n]');
  t.equal(pythonJsonDumps({ returncode: 0 }), '{\n    "returncode": 0\n}');
  t.equal(
    pythonJsonDumps({ b: [1, { d: null, c: true }], a: 'é' }),
    '{\n    "a": "\\u00e9",\n    "b": [\n        1,\n        {\n            "c": true,\n            "d": null\n        }\n    ]\n}',
  );
  t.equal(pythonJsonDumps(undefined), 'null');
  t.equal(pythonJsonDumps([]), '[]');
  t.equal(pythonJsonDumps({}), '{}');
  t.equal(pythonJsonDumps('text'), '"text"');
});

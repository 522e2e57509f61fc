import t from 'tap';
import { type CpuProfile, moduleOf, summarizeProfile } from '../src/cpu-profile.js';

t.test('code is attributed to the package it lives in', async (t) => {
  t.equal(moduleOf('file:///repo/node_modules/mongodb/lib/cmap/connection.js', 'f'), 'mongodb');
  t.equal(moduleOf('file:///repo/node_modules/@fastify/session/lib/x.js', 'f'), '@fastify/session');
  t.equal(moduleOf('file:///repo/node_modules/a/node_modules/bson/lib/bson.cjs', 'f'), 'bson', 'the innermost');
  t.equal(moduleOf('file:///repo/apps/worker/dist/run-recorder.js', 'f'), '@tickwork/worker');
  t.equal(moduleOf('node:internal/streams/writable', 'f'), 'node internals');
  t.equal(moduleOf('', '(garbage collector)'), '(garbage collector)');
});

t.test('self time by module and function, as shares of the busy time', async (t) => {
  const frame = (id: number, functionName: string, url: string, hitCount: number) => ({
    id,
    callFrame: { functionName, url, lineNumber: 9 },
    hitCount,
  });
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 2_000_000,
    nodes: [
      frame(1, '(root)', '', 0),
      frame(2, '(idle)', '', 50),
      frame(3, 'serialize', 'file:///r/node_modules/bson/lib/bson.cjs', 30),
      frame(4, 'process', 'file:///r/apps/worker/dist/run-recorder.js', 15),
      frame(5, 'deserialize', 'file:///r/node_modules/bson/lib/bson.cjs', 5),
    ],
  };
  const summary = summarizeProfile(profile);
  t.equal(summary.seconds, 2);
  t.equal(summary.busy_pct, 50, 'half the samples were idle');
  t.same(summary.by_module, [
    { module: 'bson', pct: 70 },
    { module: '@tickwork/worker', pct: 30 },
  ]);
  t.same(summary.by_function[0], { function: 'serialize bson.cjs:10', module: 'bson', pct: 60 });
});

// Which FerretDB backend is faster for Tickwork's write pattern? Runs ours on SQLite (the old default) and
// on what npm start runs now (a private PostgreSQL cluster, fsync on, GIN twins of every index), each in a
// temp dir, and prints ops/s for each step.
//   node --import tsx packages/local-services/bench/ferretdb-backends.ts [count]
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { provideLocalMongo, provideMongo } from '../src/index.js';

const count = Number(process.argv[2] ?? 2000);
const quiet = () => {};

async function measure(backend: 'sqlite' | 'postgresql') {
  const service =
    backend === 'sqlite'
      ? await provideMongo({}, { ferretDbBackend: 'sqlite', log: quiet })
      : await provideLocalMongo({}, { durable: true, poolMaxConns: 200, log: quiet, say: console.error });
  const connection = await mongoose.createConnection(`${service.url}/bench_${Date.now()}`).asPromise();
  const db = connection.db;
  if (!db) throw new Error('no db');
  const executions = db.collection<{ _id: string; [k: string]: unknown }>('executions');
  await executions.createIndex({ fire_key: 1 }, { unique: true });
  await executions.createIndex({ scheduled_time: 1 });
  const ids = Array.from({ length: count }, () => randomUUID().replaceAll('-', ''));
  const rate = async (label: string, fn: (id: string, i: number) => Promise<unknown>, parallel = 16) => {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < ids.length) {
          const i = next++;
          await fn(ids[i] as string, i);
        }
      }),
    );
    const perSecond = Math.round(count / ((performance.now() - started) / 1000));
    return [label, perSecond] as const;
  };
  const results = [
    await rate('insert execution', (id, i) =>
      executions.insertOne({
        _id: id,
        fire_key: `job@${i}`,
        state: 'scheduled',
        scheduled_time: new Date(i * 1000),
        job: { name: 'x', pub_args: [1, 2] },
      }),
    ),
    await rate('update state by id', (id) =>
      executions.updateOne({ _id: id, state: 'scheduled' }, { $set: { state: 'running', updated_time: new Date() } }),
    ),
    await rate('find by id', (id) => executions.findOne({ _id: id })),
    await rate('find by fire_key', (_, i) => executions.findOne({ fire_key: `job@${i}` })),
  ];
  const started = performance.now();
  await executions
    .find({ scheduled_time: { $gte: new Date(0), $lte: new Date(count * 1000) } })
    .sort({ updated_time: -1 })
    .toArray();
  results.push(['list all by time range (ms)', Math.round(performance.now() - started)]);
  await connection.dropDatabase();
  await connection.close();
  await service.stop();
  return results;
}

const sqlite = await measure('sqlite');
const postgresql = await measure('postgresql');
console.log(`FerretDB 1.24.2, ${count} documents, 16 concurrent clients`);
console.log('| step | SQLite | PostgreSQL (private cluster) |\n|---|---|---|');
for (const [i, [label, value]] of sqlite.entries()) console.log(`| ${label} | ${value} | ${postgresql[i]?.[1]} |`);

// Inserts gathered into one insertMany: each document judged on its own (a duplicate refused alone), and a
// batch that failed as a whole — the server gone — failed for every caller, as unavailable, never "inserted".
import { BatchedInserts, Store } from '@tickwork/store';
import { PrivateMongo } from '@tickwork/testing';
import mongoose from 'mongoose';
import t from 'tap';

const mongo = await PrivateMongo.start(t);
const connection = mongoose.createConnection(mongo.url('batched'), {
  serverSelectionTimeoutMS: 2000,
  monitorCommands: true,
});
await connection.asPromise();
t.teardown(() => connection.close());
const db = connection.db;
if (!db) throw new Error('no database');
const collection = db.collection<{ _id: string }>('docs');

t.test('concurrent inserts go in one insertMany; a duplicate is refused alone', async (t) => {
  const inserts = new BatchedInserts(collection as never, { windowMs: 20, maxBatch: 100, maxInFlight: 1 });
  await collection.insertOne({ _id: 'taken' });
  let commands = 0;
  const count = () => commands++;
  connection.getClient().on('commandStarted', count);
  const outcomes = await Promise.all(['a', 'taken', 'b', 'a'].map((id) => inserts.insert({ _id: id })));
  connection.getClient().off('commandStarted', count);
  t.same(outcomes, ['inserted', 'duplicate', 'inserted', 'duplicate']);
  t.equal(commands, 1, 'one command for the four');
  t.equal(await collection.countDocuments(), 3);
});

t.test('companions ride in the same insert, first', async (t) => {
  const inserts = new BatchedInserts(collection as never, {
    windowMs: 5,
    maxBatch: 100,
    maxInFlight: 1,
    companions: (docs) => [{ _id: `lease-of-${docs.length}` }],
  });
  await Promise.all([inserts.insert({ _id: 'c1' }), inserts.insert({ _id: 'c2' })]);
  t.ok(await collection.findOne({ _id: 'lease-of-2' }), 'the companion names the batch');
});

t.test('a batch the server never judged fails for every caller, as unavailable', async (t) => {
  const inserts = new BatchedInserts(collection as never, { windowMs: 5, maxBatch: 100, maxInFlight: 1 });
  await mongo.stop();
  t.teardown(() => mongo.start());
  const results = await Promise.allSettled([inserts.insert({ _id: 'x1' }), inserts.insert({ _id: 'x2' })]);
  t.same(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
    'no caller is told its document went in',
  );
  for (const r of results) t.ok(r.status === 'rejected' && Store.isUnavailable(r.reason), 'an outage, to retry');
});

import { createRedis, RunOutputStream } from '@tickwork/queue';
import { testEnvironment, waitFor } from '@tickwork/testing';
import { pino } from 'pino';
import t from 'tap';
import { StreamedOutput } from '../src/streamed-output.js';

const environment = testEnvironment(t);
const log = pino({ level: 'silent' });

t.test('lines reach Redis in batches while the run goes on; the copy is dropped after', async (t) => {
  const redis = createRedis(environment.config.redisUrl);
  t.teardown(() => redis.disconnect());
  const stream = new RunOutputStream(redis, environment.config.queuePrefix);
  const output = new StreamedOutput('e1', stream, log);
  output.add('info', 'one');
  output.add('warn', 'two');
  const streamed = await waitFor('the lines in Redis', async () => {
    const page = await stream.read('e1', 0);
    return page.output === 'one\n[warn] two\n' ? page : undefined;
  });
  t.same(streamed, { output: 'one\n[warn] two\n', next_offset: 15, truncated: false, exists: true });
  output.add('info', 'three');
  t.equal(await output.close(), 'one\n[warn] two\nthree\n', 'the record gets every line');
  output.discard();
  await waitFor('the copy to be dropped', async () => !(await stream.read('e1', 0)).exists);
});

/** A stream whose Redis never answers (nothing listens there), counting the appends it was asked for. */
class UnreachableStream extends RunOutputStream {
  appends = 0;
  override async append(executionId: string, text: string): Promise<void> {
    this.appends += 1;
    return super.append(executionId, text);
  }
}

t.test('an unreachable Redis never holds up the final write', async (t) => {
  const redis = createRedis('redis://127.0.0.1:1');
  redis.on('error', () => {});
  t.teardown(() => redis.disconnect());
  const stream = new UnreachableStream(redis, 'nowhere');
  const output = new StreamedOutput('e2', stream, log);
  output.add('info', 'still kept');
  await waitFor('a chunk on its way to Redis', () => stream.appends > 0);
  t.equal(await output.close(), 'still kept\n');
  output.discard();
});

/** A stream that counts what it was asked to do. */
class CountingStream extends RunOutputStream {
  calls = 0;
  override async append(executionId: string, text: string): Promise<void> {
    this.calls += 1;
    return super.append(executionId, text);
  }
  override async remove(executionId: string): Promise<void> {
    this.calls += 1;
    return super.remove(executionId);
  }
}

t.test('a run that printed nothing costs Redis nothing', async (t) => {
  const redis = createRedis(environment.config.redisUrl);
  t.teardown(() => redis.disconnect());
  const stream = new CountingStream(redis, environment.config.queuePrefix);
  const output = new StreamedOutput('e3', stream, log);
  t.equal(await output.close(), '');
  output.discard();
  t.equal(stream.calls, 0, 'no append, and no removal of a copy that never existed');
});

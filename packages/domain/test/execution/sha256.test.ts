import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { fireExecutionId } from '../../src/execution/fire-id.js';
import { sha256Hex } from '../../src/execution/sha256.js';
import { isId, newId } from '../../src/ids.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

t.test('sha256Hex gives what node:crypto gives', async (t) => {
  t.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // Every length around the block and padding boundaries, multi-byte UTF-8, and random strings.
  for (let n = 0; n <= 200; n++) t.equal(sha256Hex('x'.repeat(n)), nodeSha256('x'.repeat(n)), `length ${n}`);
  t.equal(sha256Hex('é€😀 tickwork'), nodeSha256('é€😀 tickwork'));
  for (let i = 0; i < 200; i++) {
    const text = randomBytes(i).toString('base64');
    t.equal(sha256Hex(text), nodeSha256(text));
  }
});

t.test('fire ids are as they were with node:crypto: records already stored keep their ids', async (t) => {
  for (let i = 0; i < 100; i++) {
    const jobId = randomBytes(16).toString('hex');
    const fireMs = 1_700_000_000_000 + i * 60_000;
    t.equal(fireExecutionId(jobId, fireMs), nodeSha256(`${jobId}@${fireMs}`).slice(0, 32));
  }
});

t.test('newId is a uuid4 as 32 lowercase hex digits', async (t) => {
  const ids = new Set(Array.from({ length: 1000 }, newId));
  t.equal(ids.size, 1000);
  for (const id of ids) {
    t.ok(isId(id));
    t.equal(id[12], '4', 'version 4');
    t.match(id[16], /[89ab]/, 'RFC 4122 variant');
  }
});

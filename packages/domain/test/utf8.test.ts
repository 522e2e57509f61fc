import t from 'tap';
import { utf8ByteLength, utf8Decode, utf8Encode } from '../src/utf8.js';

const samples = [
  '',
  'ascii',
  'é',
  '€ and ✓',
  '😀 emoji (a surrogate pair)',
  '\ud800 lone high',
  'lone low \udc00',
  'high at the end \ud83d',
  '\udc00\ud800 reversed pair',
  '\u0000\u007f\u0080\u07ff\u0800\uffff',
];

t.test('utf8ByteLength gives what Buffer.byteLength gives', async (t) => {
  for (const text of samples) t.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
  for (let i = 0; i < 300; i++) {
    // Random UTF-16 code units, surrogates included.
    const text = String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint16Array(i % 40)));
    t.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'));
  }
});

t.test('utf8Encode and utf8Decode are Buffer.from and toString', async (t) => {
  for (const text of samples) {
    t.same(Buffer.from(utf8Encode(text)), Buffer.from(text, 'utf8'));
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      // A cut inside a sequence decodes to U+FFFD with both; CappedOutput drops trailing ones.
      t.equal(
        utf8Decode(bytes.subarray(0, cut)).replace(/\uFFFD+$/, ''),
        bytes
          .subarray(0, cut)
          .toString('utf8')
          .replace(/\uFFFD+$/, ''),
      );
    }
  }
});

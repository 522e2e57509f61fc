import t from 'tap';
import { internalAddressKind, refusal } from '../src/outbound.js';

t.test('internal addresses, in every spelling a resolver or URL can give them', async (t) => {
  const cases: Array<[string, string | null]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['0.0.0.0', 'this-network'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local (private)'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['2002:a00:1::', 'private'],
    ['8.8.8.8', null],
    ['172.32.0.1', null],
    ['2606:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['example.com', null],
  ];
  for (const [address, kind] of cases) t.equal(internalAddressKind(address), kind, address);
});

t.test('ALLOW_INTERNAL_URLS: all, none, or the addresses and CIDRs named', async (t) => {
  t.equal(refusal(true, '127.0.0.1', '127.0.0.1'), null);
  t.match(refusal(false, 'localhost', '::1')?.message, /^refused to connect to localhost \(::1\): a loopback address/);
  t.equal(refusal(['10.0.0.0/8', '127.0.0.2'], 'h', '10.9.8.7'), null);
  t.equal(refusal(['10.0.0.0/8', '127.0.0.2'], 'h', '127.0.0.2'), null);
  t.match(refusal(['10.0.0.0/8', '127.0.0.2'], 'h', '127.0.0.1'), { address: '127.0.0.1', kind: 'loopback' });
  t.equal(refusal(false, 'example.com', '93.184.215.14'), null, 'public addresses are never refused');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  canonicalAddress,
  formatIpv4,
  formatIpv6,
  ipVersion,
  isLinkLocal,
  isMulticastOrBroadcast,
  isNumericHost,
  parseIpv4,
  parseIpv6,
} from '../../src/packet/address.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
// 8 words -> 16 bytes, written out so each expectation below reads as the RFC's example.
const words = (...w: number[]): Uint8Array => Uint8Array.from(w.flatMap((x) => [x >> 8, x & 0xff]));

test('formatIpv4: dotted quad of 4 bytes, from an offset', () => {
  assert.equal(formatIpv4(bytes(192, 0, 2, 1)), '192.0.2.1');
  assert.equal(formatIpv4(bytes(0, 0, 0, 0)), '0.0.0.0');
  assert.equal(formatIpv4(bytes(255, 255, 255, 255)), '255.255.255.255');
  // An IPv4 header's source sits at offset 12 (RFC 791 3.1).
  const header = new Uint8Array(20);
  header.set([10, 1, 2, 3], 12);
  header.set([172, 16, 0, 9], 16);
  assert.equal(formatIpv4(header, 12), '10.1.2.3');
  assert.equal(formatIpv4(header, 16), '172.16.0.9');
});

test('formatIpv6: RFC 5952 canonical text', () => {
  const cases: Array<[Uint8Array, string, string]> = [
    // 4.1: leading zeros of a 16-bit field suppressed.
    [words(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001), '2001:db8::1', '4.1 leading zeros'],
    // 4.2.1: "::" used to its maximum capability.
    [words(0x2001, 0xdb8, 0, 0, 0, 0, 2, 1), '2001:db8::2:1', '4.2.1 longest possible'],
    // 4.2.2: "::" MUST NOT shorten just one 16-bit 0 field.
    [words(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), '2001:db8:0:1:1:1:1:1', '4.2.2 single zero field'],
    // 4.2.3: the longest run is compressed...
    [words(0x2001, 0, 0, 1, 0, 0, 0, 1), '2001:0:0:1::1', '4.2.3 longest run'],
    // ...and on a tie the first one.
    [words(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), '2001:db8::1:0:0:1', '4.2.3 tie: first run'],
    // 4.3: lower case.
    [words(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xaaaa), '2001:db8::aaaa', '4.3 lower case'],
    // Edges of the compression: all zero, leading and trailing runs.
    [words(0, 0, 0, 0, 0, 0, 0, 0), '::', 'unspecified'],
    [words(0, 0, 0, 0, 0, 0, 0, 1), '::1', 'loopback'],
    [words(1, 0, 0, 0, 0, 0, 0, 0), '1::', 'trailing run'],
    [words(0xfe80, 0, 0, 0, 0, 0, 0, 1), 'fe80::1', 'link local'],
    [words(0, 0, 1, 2, 3, 4, 0, 0), '::1:2:3:4:0:0', 'tie between a leading and trailing run'],
    [words(1, 2, 3, 4, 5, 6, 7, 8), '1:2:3:4:5:6:7:8', 'no zero'],
    [words(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'all ones'],
    // 5: IPv4-mapped addresses keep the dotted quad.
    [words(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), '::ffff:192.0.2.1', '5 IPv4-mapped'],
    [words(0, 0, 0, 0, 0, 0xffff, 0, 0), '::ffff:0.0.0.0', '5 IPv4-mapped zero'],
  ];
  for (const [input, expected, why] of cases) assert.equal(formatIpv6(input), expected, why);
});

test('formatIpv6 reads 16 bytes at an offset (IPv6 source at 8, destination at 24)', () => {
  const header = new Uint8Array(40).fill(0xee);
  header.set(words(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 8);
  header.set(words(0xff02, 0, 0, 0, 0, 0, 0, 1), 24);
  assert.equal(formatIpv6(header, 8), '2001:db8::1');
  assert.equal(formatIpv6(header, 24), 'ff02::1');
});

// An RFC 5952 formatter written from the text of section 4, to compare against on random input.
function referenceFormat(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[2 * i] as number) * 256 + (b[2 * i + 1] as number));
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let best: [number, number] | null = null;
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && w[end] === 0) end++;
    if (end - start >= 2 && (best === null || end - start > best[1] - best[0])) best = [start, end];
  }
  const h = w.map((x) => x.toString(16));
  if (best === null) return h.join(':');
  return `${h.slice(0, best[0]).join(':')}::${h.slice(best[1]).join(':')}`;
}

// Words drawn mostly from {0, 1, ffff} so zero runs and ties are common.
const ipv6Bytes = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(1), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((w) => words(...w));

test('property: formatIpv6 agrees with a plain reading of RFC 5952 and parses back to the same bytes', () => {
  fc.assert(
    fc.property(ipv6Bytes, (b) => {
      const text = formatIpv6(b);
      assert.equal(text, referenceFormat(b));
      assert.deepEqual(parseIpv6(text), b);
      assert.equal(canonicalAddress(text), text);
    }),
    { numRuns: 2000 },
  );
});

test('property: formatIpv4 / parseIpv4 round trip', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
      const text = formatIpv4(b);
      assert.equal(text, Array.from(b).join('.'));
      assert.deepEqual(parseIpv4(text), Uint8Array.from(b));
    }),
    { numRuns: 500 },
  );
});

test('parseIpv4 accepts exactly four decimal parts 0-255 without leading zeros', () => {
  assert.deepEqual(parseIpv4('192.0.2.1'), bytes(192, 0, 2, 1));
  assert.deepEqual(parseIpv4('0.0.0.0'), bytes(0, 0, 0, 0));
  assert.deepEqual(parseIpv4('255.255.255.255'), bytes(255, 255, 255, 255));
  assert.deepEqual(parseIpv4('10.0.0.100'), bytes(10, 0, 0, 100));
  for (const bad of [
    '',
    '1',
    '1.2.3',
    '1.2.3.4.5',
    '1..3.4',
    '.1.2.3',
    '1.2.3.', // shape
    '256.0.0.1',
    '1.2.3.999',
    '1.2.3.-4',
    '-1.2.3.4', // range and sign
    '01.2.3.4',
    '1.2.3.04',
    '1.2.00.4', // leading zeros (octal in inet_aton: ambiguous)
    '0x1.2.3.4',
    '1e2.0.0.1',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '1. 2.3.4',
    '+1.2.3.4',
    '1.2.3.4%eth0',
    '１.2.3.4', // a fullwidth digit is not a digit here
  ]) {
    assert.equal(parseIpv4(bad), null, JSON.stringify(bad));
  }
});

test('parseIpv6 accepts the RFC 4291 2.2 text forms', () => {
  assert.deepEqual(parseIpv6('2001:db8::1'), words(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
  assert.deepEqual(parseIpv6('2001:DB8:0:0:8:800:200C:417A'), words(0x2001, 0xdb8, 0, 0, 8, 0x800, 0x200c, 0x417a));
  assert.deepEqual(parseIpv6('FF01::101'), words(0xff01, 0, 0, 0, 0, 0, 0, 0x101));
  assert.deepEqual(parseIpv6('::'), words(0, 0, 0, 0, 0, 0, 0, 0));
  assert.deepEqual(parseIpv6('::1'), words(0, 0, 0, 0, 0, 0, 0, 1));
  assert.deepEqual(parseIpv6('1::'), words(1, 0, 0, 0, 0, 0, 0, 0));
  assert.deepEqual(parseIpv6('1:2:3:4:5:6:7::'), words(1, 2, 3, 4, 5, 6, 7, 0));
  assert.deepEqual(parseIpv6('::2:3:4:5:6:7:8'), words(0, 2, 3, 4, 5, 6, 7, 8));
  assert.deepEqual(parseIpv6('0001:0002:0003:0004:0005:0006:0007:0008'), words(1, 2, 3, 4, 5, 6, 7, 8));
  // Form 3: x:x:x:x:x:x:d.d.d.d, also compressed.
  assert.deepEqual(parseIpv6('0:0:0:0:0:0:13.1.68.3'), words(0, 0, 0, 0, 0, 0, 0x0d01, 0x4403));
  assert.deepEqual(parseIpv6('::FFFF:129.144.52.38'), words(0, 0, 0, 0, 0, 0xffff, 0x8190, 0x3426));
  assert.deepEqual(parseIpv6('1:2:3:4:5:6:1.2.3.4'), words(1, 2, 3, 4, 5, 6, 0x0102, 0x0304));
});

test('parseIpv6 rejects malformed text', () => {
  for (const bad of [
    '',
    ':',
    ':::',
    '::::',
    '1:::2',
    '1::2::3', // more than one "::"
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7', // too many / too few groups
    '1::2:3:4:5:6:7:8',
    '::1:2:3:4:5:6:7:8', // "::" must stand for at least one group
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    ':1::', // a lone leading / trailing colon
    '12345::',
    'g::1',
    '2001:db8::-1',
    ' ::1',
    '::1 ',
    '::1\n', // bad group
    '::1%eth0',
    'fe80::1%1', // no scope in the bare parser
    '::ffff:1.2.3',
    '::ffff:1.2.3.04',
    '::ffff:256.1.1.1',
    '::1.2.3.4:5',
    '1:2:3:4:5:6:7:1.2.3.4', // bad IPv4 tail
    '1.2.3.4', // an IPv4 address is not IPv6 text
    `${'0000:'.repeat(9)}0001`, // too long, too many groups
  ]) {
    assert.equal(parseIpv6(bad), null, JSON.stringify(bad));
  }
});

test('parseIpv6 rejects a dotted quad anywhere but at the end (RFC 4291 2.2 form 3)', () => {
  // The dotted quad stands for the two low-order words only. glibc's inet_pton(AF_INET6) and
  // Node's net.isIPv6 both reject these strings.
  assert.equal(parseIpv6('1.2.3.4::'), null);
  assert.equal(parseIpv6('a:1.2.3.4::'), null);
  assert.equal(ipVersion('1.2.3.4::'), 0);
});

test('ipVersion: 4, 6 (a %scope allowed on IPv6) or 0', () => {
  assert.equal(ipVersion('127.0.0.1'), 4);
  assert.equal(ipVersion('::1'), 6);
  assert.equal(ipVersion('fe80::1%eth0'), 6);
  assert.equal(ipVersion('::ffff:10.0.0.1'), 6);
  assert.equal(ipVersion('1.2.3.4%eth0'), 0);
  assert.equal(ipVersion('localhost'), 0);
  assert.equal(ipVersion('localhost;id'), 0);
  assert.equal(ipVersion(''), 0);
  assert.equal(ipVersion('010.0.0.1'), 0);
  assert.equal(ipVersion('-c'), 0);
});

test('canonicalAddress: canonical text, scope dropped, null for names', () => {
  assert.equal(canonicalAddress('127.0.0.1'), '127.0.0.1');
  assert.equal(canonicalAddress('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(canonicalAddress('FE80:0000::0001%eth0'), 'fe80::1');
  assert.equal(canonicalAddress('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalAddress('::FFFF:127.0.0.1'), '::ffff:127.0.0.1');
  assert.equal(canonicalAddress('0:0:0:0:0:ffff:7f00:1'), '::ffff:127.0.0.1');
  assert.equal(canonicalAddress('example.com'), null);
  assert.equal(canonicalAddress('010.0.0.1'), null);
  assert.equal(canonicalAddress(''), null);
});

test('isMulticastOrBroadcast: 224.0.0.0/4, 255.255.255.255 and ff00::/8 only', () => {
  const yes = ['224.0.0.1', '224.0.0.0', '239.255.255.255', '230.1.2.3', '255.255.255.255', 'ff02::1', 'ff05::1:3', 'ff00::'];
  const no = ['223.255.255.255', '240.0.0.0', '255.255.255.254', '127.0.0.1', '10.255.255.255', '::1', 'fe80::1', 'fec0::1', '::', 'example', ''];
  for (const a of yes) assert.equal(isMulticastOrBroadcast(a), true, a);
  for (const a of no) assert.equal(isMulticastOrBroadcast(a), false, a);
});

test('isNumericHost: literals and inet_aton forms are addresses, names of hex letters are names', () => {
  const yes = ['127.0.0.1', '127.1', '0x7f.1', '0X7F.0.0.1', '017.0.0.1', '2130706433', '::1', 'fe80::1%eth0', 'fe80::1%2', '::ffff:127.0.0.1'];
  const no = ['localhost', 'cafe.de', 'bad.be', 'face', 'dead.beef', 'x', '0x', '1.2.3.4.5', '127.0.0.', '.1', 'example.com', ''];
  for (const a of yes) assert.equal(isNumericHost(a), true, a);
  for (const a of no) assert.equal(isNumericHost(a), false, a);
});

test('isLinkLocal: fe80::/10, with or without a scope, and nothing else', () => {
  const yes = ['fe80::1', 'fe80::1%eth0', 'FE80::abcd:1%2', 'febf:ffff::1', 'fe80::'];
  const no = ['fec0::1', 'fe7f::1', 'ff02::1', '::1', '2001:db8::1', '127.0.0.1', '169.254.1.1', 'fe80', 'eth0', ''];
  for (const a of yes) assert.equal(isLinkLocal(a), true, a);
  for (const a of no) assert.equal(isLinkLocal(a), false, a);
});

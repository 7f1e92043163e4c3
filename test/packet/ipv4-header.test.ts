import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseIpv4Header } from '../../src/packet/ipv4-header.js';
import { IPOPT_NOP, concat, hex, ipv4Header, recordRoute } from '../helpers/packet-builders.js';

// Golden vector, every field by hand (RFC 791 3.1):
//   45        version 4, IHL 5
//   b8        TOS 0xb8 (DSCP EF)
//   00 54     total length 84 (20 + 8 + 56, ping's default datagram)
//   ab cd     identification
//   40 00     flags DF, fragment offset 0
//   37 01     TTL 55, protocol 1 (ICMP)
//   xx xx     header checksum
//   c0 00 02 01 / c6 33 64 07   source 192.0.2.1, destination 198.51.100.7
// Checksum (RFC 1071): 45b8+0054 = 460c; +abcd = f1d9; +4000 = 131d9; +3701 = 168da;
// +c000 = 228da; +0201 = 22adb; +c633 = 2f10e; +6407 = 35515; fold: 5515 + 3 = 5518;
// complement: ffff - 5518 = aae7. (Summing the finished header, checksum included, gives ffff.)
const GOLDEN = hex('45b8 0054 abcd 4000 3701 aae7 c000 0201 c633 6407');

test('golden IPv4 header: every field at its RFC 791 place', () => {
  const h = parseIpv4Header(GOLDEN);
  assert.ok(h !== null);
  assert.equal(h.headerLength, 20);
  assert.equal(h.tos, 0xb8);
  assert.equal(h.totalLength, 84);
  assert.equal(h.identification, 0xabcd);
  assert.equal(h.fragmentOffset, 0);
  assert.equal(h.moreFragments, false);
  assert.equal(h.ttl, 55);
  assert.equal(h.protocol, 1);
  assert.equal(h.source, '192.0.2.1');
  assert.equal(h.destination, '198.51.100.7');
  assert.equal(h.options.length, 0);
  // The builder used everywhere else produces the same bytes, checksum included.
  const built = ipv4Header({ tos: 0xb8, totalLength: 84, identification: 0xabcd, ttl: 55, source: '192.0.2.1', destination: '198.51.100.7' }, 64);
  assert.deepEqual(built, GOLDEN);
});

test('fragment fields: offset in 8-byte units, MF flag', () => {
  // flags/offset word 0x20b9: MF set (0x2000), offset 0xb9 = 185 units = 1480 bytes.
  const h = parseIpv4Header(ipv4Header({ flags: 0b001, fragmentOffset: 185 }, 0));
  assert.ok(h !== null);
  assert.equal(h.moreFragments, true);
  assert.equal(h.fragmentOffset, 1480);
  // Offset 0x1fff (the largest) = 8191 * 8 = 65528 bytes, DF alone is not MF.
  const last = parseIpv4Header(ipv4Header({ flags: 0b010, fragmentOffset: 0x1fff }, 0));
  assert.equal(last?.fragmentOffset, 65528);
  assert.equal(last?.moreFragments, false);
});

test('IHL 6..15: header length IHL*4, options are exactly bytes 20..IHL*4 (a view, not a copy)', () => {
  for (let ihl = 6; ihl <= 15; ihl++) {
    const optionBytes = (ihl - 5) * 4;
    // NOPs with a record-route in the middle when it fits (RFC 791: type 7, length, pointer).
    const options =
      optionBytes >= 11
        ? [IPOPT_NOP, ...recordRoute(2), ...new Array<number>(optionBytes - 12).fill(IPOPT_NOP)]
        : new Array<number>(optionBytes).fill(IPOPT_NOP);
    const header = ipv4Header({ ihl, options }, 8);
    const datagram = concat(header, [0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 0]);
    const h = parseIpv4Header(datagram);
    assert.ok(h !== null, `IHL ${ihl}`);
    assert.equal(h.headerLength, ihl * 4);
    assert.equal(h.options.length, optionBytes);
    assert.deepEqual(Array.from(h.options), Array.from(datagram.subarray(20, ihl * 4)));
    assert.equal(h.options.buffer, datagram.buffer, 'options is a view into the input');
    assert.equal(h.options.byteOffset, datagram.byteOffset + 20);
  }
});

test('options are returned as bytes and never walked: bad pointers and lengths are harmless', () => {
  const cases: number[][] = [
    [7, 39, 200, 0], // record route, pointer far past its length
    [7, 0, 0, 0], // length 0 (a naive walker loops forever: CVE-2010-2529 class)
    [7, 1, 4, 0], // length 1
    [0x9f, 255, 1, 2], // unknown option claiming 255 bytes
    [IPOPT_NOP, IPOPT_NOP, IPOPT_NOP, 0x44], // timestamp type with no length byte inside the header
  ];
  for (const options of cases) {
    const h = parseIpv4Header(concat(ipv4Header({ ihl: 6, options }, 0)));
    assert.ok(h !== null, JSON.stringify(options));
    assert.equal(h.headerLength, 24);
    assert.deepEqual(Array.from(h.options), options);
  }
});

test('rejects: fewer than 20 bytes, version != 4, IHL < 5, IHL*4 beyond the bytes, total length < header', () => {
  for (let n = 0; n < 20; n++) assert.equal(parseIpv4Header(GOLDEN.subarray(0, n)), null, `${n} bytes`);
  for (const version of [0, 1, 5, 6, 15]) {
    assert.equal(parseIpv4Header(ipv4Header({ version }, 0)), null, `version ${version}`);
  }
  for (let ihl = 0; ihl < 5; ihl++) {
    assert.equal(parseIpv4Header(ipv4Header({ ihl }, 0)), null, `IHL ${ihl}`);
  }
  // IHL 15 says 60 bytes; fewer than that are present.
  const long = ipv4Header({ ihl: 15, options: new Array<number>(40).fill(IPOPT_NOP) }, 0);
  assert.ok(parseIpv4Header(long) !== null);
  for (const n of [20, 24, 40, 59]) assert.equal(parseIpv4Header(long.subarray(0, n)), null, `IHL 15 in ${n} bytes`);
  // Total length below the header's own length (0, 19, and 23 with IHL 6).
  assert.equal(parseIpv4Header(ipv4Header({ totalLength: 0 }, 0)), null);
  assert.equal(parseIpv4Header(ipv4Header({ totalLength: 19 }, 0)), null);
  assert.equal(parseIpv4Header(ipv4Header({ ihl: 6, options: [1, 1, 1, 1], totalLength: 23 }, 0)), null);
  // Exactly the header length is fine (an empty payload).
  assert.equal(parseIpv4Header(ipv4Header({ ihl: 6, options: [1, 1, 1, 1], totalLength: 24 }, 0))?.totalLength, 24);
});

test("the header checksum is not the parser's business (the kernel checked it on receive)", () => {
  const h = parseIpv4Header(ipv4Header({ headerChecksum: 0x1234 }, 0));
  assert.ok(h !== null);
});

test('property: any bytes give null or a header whose lengths are consistent with the input', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 0x40, max: 0x4f }), fc.boolean(), (raw, first, forceV4) => {
      const bytes = Uint8Array.from(raw);
      if (forceV4 && bytes.length > 0) bytes[0] = first;
      const h = parseIpv4Header(bytes);
      if (h === null) return;
      const ihl = ((bytes[0] as number) & 0x0f) * 4;
      assert.equal((bytes[0] as number) >> 4, 4);
      assert.equal(h.headerLength, ihl);
      assert.ok(ihl >= 20 && ihl <= bytes.length);
      assert.ok(h.totalLength >= ihl);
      assert.equal(h.options.length, ihl - 20);
      assert.ok(h.options.byteOffset + h.options.length <= bytes.byteOffset + bytes.length);
    }),
    { numRuns: 2000 },
  );
});

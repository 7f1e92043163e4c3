import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuotedIpv4, parseQuotedIpv6 } from '../../src/packet/quoted-probe.js';
import {
  type ExtensionHeader,
  IPOPT_NOP,
  NH_ICMPV6,
  NH_NONE,
  NH_TCP,
  NH_UDP,
  authHeader,
  concat,
  destinationOptions,
  fragmentHeader,
  hex,
  hopByHop,
  ipv4Datagram,
  ipv6Packet,
  quotedEchoV4,
  quotedEchoV6,
  recordRoute,
  routingHeader,
} from '../helpers/packet-builders.js';

// ---------------------------------------------------------------------------------------------
// IPv4 (RFC 792: the error carries "Internet Header + 64 bits of Original Data Datagram")

test('golden quote: 20-byte IPv4 header + the 8 bytes of our echo request', () => {
  // Inner header: 45 00 0054 1c46 4000 40 01 <sum> c0000201 c6336407 (to 198.51.100.7),
  // echo request 08 00 <sum> 1234 0007. Checksums do not matter to the parser, left 0.
  const quote = hex('4500 0054 1c46 4000 4001 0000 c000 0201 c633 6407  0800 0000 1234 0007');
  const probe = parseQuotedIpv4(quote);
  assert.ok(probe !== null);
  assert.equal(probe.source, '192.0.2.1');
  assert.equal(probe.destination, '198.51.100.7');
  assert.equal(probe.identifier, 0x1234);
  assert.equal(probe.sequence, 7);
  assert.equal(probe.payload.length, 0);
});

test('quote longer than 28 bytes (Linux quotes up to 576): the echo payload is a view of the rest', () => {
  const payload = [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6];
  const quote = quotedEchoV4({ identifier: 0xbeef, sequence: 0xffff, payload });
  const probe = parseQuotedIpv4(quote);
  assert.ok(probe !== null);
  assert.equal(probe.identifier, 0xbeef);
  assert.equal(probe.sequence, 0xffff);
  assert.deepEqual(Array.from(probe.payload), payload);
  assert.equal(probe.payload.buffer, quote.buffer);
  assert.equal(probe.payload.byteOffset, quote.byteOffset + 28);
});

test('quoted header with IP options: the echo request is found at the inner IHL*4 (IHL 6..15)', () => {
  for (let ihl = 6; ihl <= 15; ihl++) {
    const optionBytes = (ihl - 5) * 4;
    // Record route first (the option FreeBSD's CVE-2022-23093 overflowed on), then NOPs.
    const options =
      optionBytes >= 11 ? [...recordRoute(2, 8, 10), ...new Array<number>(optionBytes - 11).fill(IPOPT_NOP)] : new Array<number>(optionBytes).fill(IPOPT_NOP);
    const quote = quotedEchoV4({ ihl, options, identifier: 0x4242, sequence: ihl, destination: '203.0.113.9' });
    const probe = parseQuotedIpv4(quote);
    assert.ok(probe !== null, `IHL ${ihl}`);
    assert.equal(probe.identifier, 0x4242);
    assert.equal(probe.sequence, ihl);
    assert.equal(probe.destination, '203.0.113.9');
    assert.equal(probe.payload.length, 0);
  }
});

test('IPv4 quote rejects: under 28 bytes, inner IHL < 5, inner header longer than the quote', () => {
  const good = quotedEchoV4({ identifier: 1, sequence: 2 });
  assert.equal(good.length, 28);
  assert.ok(parseQuotedIpv4(good) !== null);
  for (let n = 0; n < 28; n++) assert.equal(parseQuotedIpv4(good.subarray(0, n)), null, `${n} bytes`);

  for (let ihl = 0; ihl < 5; ihl++) {
    const q = Uint8Array.from(good);
    q[0] = 0x40 | ihl;
    assert.equal(parseQuotedIpv4(q), null, `inner IHL ${ihl}`);
  }
  // Inner IHL 15 = 60 bytes, but the quote has only 40.
  const longHeader = quotedEchoV4({ ihl: 15, options: new Array<number>(40).fill(IPOPT_NOP), identifier: 1, sequence: 2 });
  assert.equal(parseQuotedIpv4(longHeader.subarray(0, 40)), null);
  // Inner IHL 6 (24 bytes) fits in 28, but then only 4 of the echo's 8 bytes are there.
  const ihl6 = quotedEchoV4({ ihl: 6, options: [1, 1, 1, 1], identifier: 1, sequence: 2 });
  assert.equal(parseQuotedIpv4(ihl6.subarray(0, 28)), null);
  assert.equal(parseQuotedIpv4(ihl6.subarray(0, 31)), null);
  assert.equal(parseQuotedIpv4(ihl6.subarray(0, 32))?.sequence, 2);
  // Inner version other than 4.
  const v6 = Uint8Array.from(good);
  v6[0] = 0x65;
  assert.equal(parseQuotedIpv4(v6), null);
});

test('IPv4 quote rejects quoted TCP, UDP and other protocols', () => {
  // 8 bytes of a UDP header (ports 33434 -> 53) / TCP header start, as traceroute-style traffic would be quoted.
  for (const protocol of [NH_TCP, NH_UDP, 2, 47, 58, 255, 0]) {
    const q = ipv4Datagram({ protocol, totalLength: 60 }, [0x82, 0x9a, 0x00, 0x35, 0x08, 0x00, 0x12, 0x34]);
    assert.equal(parseQuotedIpv4(q), null, `protocol ${protocol}`);
  }
  // Even when the bytes after the header happen to look exactly like an echo request.
  const lookalike = quotedEchoV4({ protocol: NH_UDP, identifier: 7, sequence: 7 });
  assert.equal(parseQuotedIpv4(lookalike), null);
});

test('IPv4 quote rejects anything but an echo request with code 0', () => {
  for (const type of [0, 3, 5, 11, 13, 128, 255]) {
    assert.equal(parseQuotedIpv4(quotedEchoV4({ type, identifier: 1, sequence: 1 })), null, `type ${type}`);
  }
  assert.equal(parseQuotedIpv4(quotedEchoV4({ code: 1, identifier: 1, sequence: 1 })), null, 'code 1');
});

test('IPv4 quote: a later fragment holds no ICMP header and is rejected; the first fragment is fine', () => {
  assert.equal(parseQuotedIpv4(quotedEchoV4({ flags: 0b001, fragmentOffset: 185, identifier: 1, sequence: 1 })), null);
  assert.equal(parseQuotedIpv4(quotedEchoV4({ flags: 0b000, fragmentOffset: 1, identifier: 1, sequence: 1 })), null);
  assert.equal(parseQuotedIpv4(quotedEchoV4({ flags: 0b001, fragmentOffset: 0, identifier: 9, sequence: 1 }))?.identifier, 9);
});

// ---------------------------------------------------------------------------------------------
// IPv6 (RFC 4443 2.4(c): "as much of the invoking packet as possible")

test('golden IPv6 quote: 40-byte header, next header 58, echo request 128', () => {
  // 60000000 0008 3a 40, source 2001:db8::1, destination 2001:db8::2, then 80 00 0000 abcd 0102.
  const quote = hex(`6000 0000 0008 3a40
    2001 0db8 0000 0000 0000 0000 0000 0001
    2001 0db8 0000 0000 0000 0000 0000 0002
    8000 0000 abcd 0102`);
  const probe = parseQuotedIpv6(quote);
  assert.ok(probe !== null);
  assert.equal(probe.source, '2001:db8::1');
  assert.equal(probe.destination, '2001:db8::2');
  assert.equal(probe.identifier, 0xabcd);
  assert.equal(probe.sequence, 0x0102);
  assert.equal(probe.payload.length, 0);
  // The builder agrees byte for byte.
  assert.deepEqual(quotedEchoV6({ identifier: 0xabcd, sequence: 0x0102, hopLimit: 0x40 }), quote);
});

test('IPv6 quote: the echo payload that was quoted is a view after the 8-byte header', () => {
  const quote = quotedEchoV6({ identifier: 5, sequence: 6, payload: [9, 8, 7, 6, 5] });
  const probe = parseQuotedIpv6(quote);
  assert.deepEqual(Array.from(probe?.payload ?? []), [9, 8, 7, 6, 5]);
  assert.equal(probe?.payload.byteOffset, quote.byteOffset + 48);
});

test('IPv6 quote: extension headers are walked by their own lengths (hop-by-hop, routing, fragment, dest options, AH)', () => {
  const chains: Array<[string, ExtensionHeader[], number]> = [
    ['hop-by-hop, 8 bytes', [hopByHop(0)], 48],
    ['hop-by-hop, Hdr Ext Len 3 = 32 bytes', [hopByHop(3)], 72],
    ['routing, Hdr Ext Len 2 = 24 bytes', [routingHeader(2)], 64],
    ['first fragment (offset 0, M=1)', [fragmentHeader(0, true)], 48],
    ['atomic fragment (offset 0, M=0)', [fragmentHeader(0, false)], 48],
    ['destination options, 16 bytes', [destinationOptions(1)], 56],
    ['AH, Payload Len 4 = 24 bytes (RFC 4302 counts 4-octet units minus 2)', [authHeader(4)], 64],
    [
      'RFC 8200 4.1 order',
      [hopByHop(0), destinationOptions(0), routingHeader(2), fragmentHeader(0, true), authHeader(4), destinationOptions(1)],
      40 + 8 + 8 + 24 + 8 + 24 + 16,
    ],
  ];
  for (const [why, extensions, echoAt] of chains) {
    const quote = quotedEchoV6({ identifier: 0x7777, sequence: 42, extensions, payload: [1, 2, 3] });
    assert.equal(quote[echoAt], 128, `${why}: builder put the echo at ${echoAt}`);
    const probe = parseQuotedIpv6(quote);
    assert.ok(probe !== null, why);
    assert.equal(probe.identifier, 0x7777, why);
    assert.equal(probe.sequence, 42, why);
    assert.deepEqual(Array.from(probe.payload), [1, 2, 3], why);
  }
});

test('IPv6 quote: a non-first fragment (offset != 0) is rejected', () => {
  for (const offset of [1, 2, 0x1fff]) {
    const quote = quotedEchoV6({ identifier: 1, sequence: 1, extensions: [fragmentHeader(offset, true)] });
    assert.equal(parseQuotedIpv6(quote), null, `offset ${offset}`);
  }
});

test('IPv6 quote: at most 8 extension headers are walked', () => {
  const eight = new Array<ExtensionHeader>(8).fill(destinationOptions(0));
  assert.equal(parseQuotedIpv6(quotedEchoV6({ identifier: 3, sequence: 8, extensions: eight }))?.sequence, 8);
  const nine = new Array<ExtensionHeader>(9).fill(destinationOptions(0));
  assert.equal(parseQuotedIpv6(quotedEchoV6({ identifier: 3, sequence: 9, extensions: nine })), null);
  const many = new Array<ExtensionHeader>(60).fill(hopByHop(0));
  assert.equal(parseQuotedIpv6(quotedEchoV6({ identifier: 3, sequence: 60, extensions: many })), null);
});

test('IPv6 quote: an extension header running past the quote is rejected, never read beyond it', () => {
  const quote = quotedEchoV6({ identifier: 1, sequence: 1, extensions: [hopByHop(0)] });
  // Claim Hdr Ext Len 255 = 2048 bytes in a 56-byte quote.
  const liar = Uint8Array.from(quote);
  liar[41] = 255;
  assert.equal(parseQuotedIpv6(liar), null);
  // AH Payload Len 255 = 1028 bytes.
  const ah = Uint8Array.from(quotedEchoV6({ identifier: 1, sequence: 1, extensions: [authHeader(4)] }));
  ah[41] = 255;
  assert.equal(parseQuotedIpv6(ah), null);
  // The chain fits but the echo request is cut: header chain ends at 48, only 4 echo bytes.
  assert.equal(parseQuotedIpv6(quote.subarray(0, 52)), null);
  // The extension header itself is cut (fewer than 8 bytes of it).
  const twoExt = quotedEchoV6({ identifier: 1, sequence: 1, extensions: [hopByHop(0), destinationOptions(0)] });
  assert.equal(parseQuotedIpv6(twoExt.subarray(0, 52)), null);
});

test('IPv6 quote rejects: under 48 bytes, version != 6, TCP/UDP/no-next-header, non-echo types, code != 0', () => {
  const good = quotedEchoV6({ identifier: 1, sequence: 1 });
  assert.equal(good.length, 48);
  for (let n = 0; n < 48; n++) assert.equal(parseQuotedIpv6(good.subarray(0, n)), null, `${n} bytes`);
  assert.equal(parseQuotedIpv6(quotedEchoV6({ version: 4, identifier: 1, sequence: 1 })), null, 'version 4');
  for (const upperProtocol of [NH_TCP, NH_UDP, NH_NONE, 1, 135]) {
    assert.equal(parseQuotedIpv6(quotedEchoV6({ upperProtocol, identifier: 1, sequence: 1 })), null, `next header ${upperProtocol}`);
  }
  for (const type of [129, 1, 2, 8, 0]) {
    assert.equal(parseQuotedIpv6(quotedEchoV6({ type, identifier: 1, sequence: 1 })), null, `type ${type}`);
  }
  assert.equal(parseQuotedIpv6(quotedEchoV6({ code: 3, identifier: 1, sequence: 1 })), null);
  // An IPv4 quote is never read with IPv6 offsets, and vice versa.
  const v4quote = concat(quotedEchoV4({ identifier: 1, sequence: 1 }), new Uint8Array(40));
  assert.equal(parseQuotedIpv6(v4quote), null);
  assert.equal(parseQuotedIpv4(concat(good, new Uint8Array(8))), null);
});

test('IPv6 quote behind an unknown extension header is rejected, not guessed', () => {
  // Next header 135 (mobility) then an echo: the walker does not know 135's layout.
  const quote = ipv6Packet({}, [{ protocol: 135, bytes: new Uint8Array(8) }], NH_ICMPV6, [128, 0, 0, 0, 0, 1, 0, 1]);
  assert.equal(parseQuotedIpv6(quote), null);
});

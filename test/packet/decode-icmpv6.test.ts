// Golden vectors for ICMPv6 (RFC 4443; redirect RFC 4861 4.5 and 4.6.3). ICMPv6 sockets hand
// over the ICMPv6 message alone, the kernel having verified its checksum, so checksumOk is null.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeIcmpv6 } from '../../src/packet/decode-icmpv6.js';
import { decodeReceived } from '../../src/packet/decode-received.js';
import type { EchoMessage, ErrorMessage, IcmpMessage } from '../../src/packet/icmp-message.js';
import { isErrorMessage } from '../../src/packet/icmp-message.js';
import {
  concat,
  destinationOptions,
  fragmentHeader,
  hex,
  hopByHop,
  icmpv6Echo,
  icmpv6Message,
  icmpv6Redirect,
  ndpOption,
  quotedEchoV4,
  quotedEchoV6,
  redirectedHeaderOption,
  rest32,
  routingHeader,
} from '../helpers/packet-builders.js';

// Echo reply ::1 -> ::1, id 0x1234, seq 1, no data: 81 00 <sum> 1234 0001.
// Checksum over the pseudo-header (RFC 8200 8.1) and the message:
//   source ::1 -> 0001; destination ::1 -> 0001; upper-layer length 8 -> 0008; next header 58 -> 003a;
//   message 8100 + 1234 + 0001.  0001+0001+0008+003a = 0044; +8100 = 8144; +1234 = 9378; +0001 = 9379;
//   ~9379 = 6c86.
const GOLDEN_REPLY = hex('8100 6c86 1234 0001');

function asEcho(m: IcmpMessage | null): EchoMessage {
  assert.ok(m !== null);
  assert.ok(m.kind === 'echo-reply' || m.kind === 'echo-request', m.kind);
  return m;
}

function asError(m: IcmpMessage | null): ErrorMessage {
  assert.ok(m !== null);
  assert.ok(isErrorMessage(m), m.kind);
  return m;
}

const PROBE = { identifier: 0x6006, sequence: 0xfffe, source: '2001:db8::1', destination: '2001:db8:1::7' };

function assertQuotesProbe(error: ErrorMessage): void {
  assert.ok(error.quoted !== null, `${error.kind} code ${error.code}: probe found`);
  assert.equal(error.quoted.identifier, PROBE.identifier);
  assert.equal(error.quoted.sequence, PROBE.sequence);
  assert.equal(error.quoted.source, PROBE.source);
  assert.equal(error.quoted.destination, PROBE.destination);
}

test("the hand-computed echo reply equals the builder's (pseudo-header checksum)", () => {
  assert.deepEqual(icmpv6Message(129, 0, [0x12, 0x34, 0, 1], [], { source: '::1', destination: '::1' }), GOLDEN_REPLY);
});

test('golden echo reply: kind, id, sequence, checksumOk null (the kernel checks ICMPv6 sums)', () => {
  const echo = asEcho(decodeIcmpv6(GOLDEN_REPLY));
  assert.equal(echo.kind, 'echo-reply');
  assert.equal(echo.family, 6);
  assert.equal(echo.type, 129);
  assert.equal(echo.code, 0);
  assert.equal(echo.identifier, 0x1234);
  assert.equal(echo.sequence, 1);
  assert.equal(echo.length, 8);
  assert.equal(echo.payload.length, 0);
  assert.equal(echo.checksumOk, null);
  // withIpHeader means nothing for IPv6: the socket never delivers the IPv6 header.
  for (const withIpHeader of [false, true]) {
    const d = decodeReceived(GOLDEN_REPLY, 6, withIpHeader);
    assert.equal(d.kind, 'icmp');
    if (d.kind === 'icmp') {
      assert.equal(d.message.kind, 'echo-reply');
      assert.equal(d.ip, null);
    }
  }
});

test('echo reply payload is a view of the input; echo request is kind echo-request', () => {
  const bytes = icmpv6Echo(129, 0xffff, 0, [10, 20, 30]);
  const echo = asEcho(decodeIcmpv6(bytes));
  assert.equal(echo.identifier, 0xffff);
  assert.equal(echo.sequence, 0);
  assert.deepEqual(Array.from(echo.payload), [10, 20, 30]);
  assert.equal(echo.payload.buffer, bytes.buffer);
  assert.equal(echo.payload.byteOffset, bytes.byteOffset + 8);
  assert.equal(echo.length, 11);
  assert.equal(asEcho(decodeIcmpv6(icmpv6Echo(128, 1, 2))).kind, 'echo-request');
});

test('destination unreachable (type 1), codes 0-6 and beyond: the quoted probe, no MTU or pointer', () => {
  for (const code of [0, 1, 2, 3, 4, 5, 6, 9, 200]) {
    const error = asError(decodeIcmpv6(icmpv6Message(1, code, [0, 0, 0, 0], quotedEchoV6(PROBE))));
    assert.equal(error.kind, 'destination-unreachable');
    assert.equal(error.family, 6);
    assert.equal(error.type, 1);
    assert.equal(error.code, code);
    assert.equal(error.mtu, null);
    assert.equal(error.pointer, null);
    assert.equal(error.gateway, null);
    assert.equal(error.checksumOk, null);
    assertQuotesProbe(error);
  }
});

test('packet too big (type 2): the MTU is the whole 32-bit second word (RFC 4443 3.2)', () => {
  // 00 00 05 00 -> 1280; 00 01 11 70 -> 70000 (a jumbo link); ff ff ff ff -> 4294967295, unsigned.
  for (const [rest, mtu] of [
    [[0, 0, 5, 0], 1280],
    [[0, 1, 0x11, 0x70], 70000],
    [[0xff, 0xff, 0xff, 0xff], 4294967295],
  ] as const) {
    const error = asError(decodeIcmpv6(icmpv6Message(2, 0, rest, quotedEchoV6(PROBE))));
    assert.equal(error.kind, 'packet-too-big');
    assert.equal(error.mtu, mtu);
    assert.equal(error.pointer, null);
    assertQuotesProbe(error);
  }
  assert.equal(asError(decodeIcmpv6(icmpv6Message(2, 0, rest32(1280), quotedEchoV6(PROBE)))).mtu, 1280);
});

test('time exceeded (type 3): hop limit (0) and reassembly (1)', () => {
  for (const code of [0, 1]) {
    const error = asError(decodeIcmpv6(icmpv6Message(3, code, [0, 0, 0, 0], quotedEchoV6(PROBE))));
    assert.equal(error.kind, 'time-exceeded');
    assert.equal(error.code, code);
    assert.equal(error.mtu, null);
    assertQuotesProbe(error);
  }
});

test('parameter problem (type 4): the pointer is the whole 32-bit second word (RFC 4443 3.4)', () => {
  for (const [code, pointer] of [
    [0, 4],
    [1, 40],
    [2, 42],
    [1, 0x01020304],
    [0, 0xffffffff],
  ] as const) {
    const error = asError(decodeIcmpv6(icmpv6Message(4, code, rest32(pointer), quotedEchoV6(PROBE))));
    assert.equal(error.kind, 'parameter-problem');
    assert.equal(error.code, code);
    assert.equal(error.pointer, pointer);
    assert.equal(error.mtu, null);
    assertQuotesProbe(error);
  }
});

test('errors quoting a packet with extension headers are walked with bounds (never IPv4 offsets)', () => {
  const quoted = quotedEchoV6({ ...PROBE, extensions: [hopByHop(0), routingHeader(2), fragmentHeader(0, true), destinationOptions(1)] });
  assertQuotesProbe(asError(decodeIcmpv6(icmpv6Message(3, 0, [0, 0, 0, 0], quoted))));
  const later = quotedEchoV6({ ...PROBE, extensions: [fragmentHeader(100, false)] });
  assert.equal(asError(decodeIcmpv6(icmpv6Message(1, 3, [0, 0, 0, 0], later))).quoted, null);
  // An IPv4 datagram quoted inside an ICMPv6 error is not read as one of our probes.
  assert.equal(asError(decodeIcmpv6(icmpv6Message(1, 3, [0, 0, 0, 0], concat(quotedEchoV4({ identifier: 1, sequence: 1 }), new Uint8Array(32))))).quoted, null);
  // Cut quotes: the IPv6 header alone, half an echo header.
  const whole = quotedEchoV6(PROBE);
  for (const n of [0, 8, 40, 47]) {
    assert.equal(asError(decodeIcmpv6(icmpv6Message(1, 0, [0, 0, 0, 0], whole.subarray(0, n)))).quoted, null, `${n} quoted bytes`);
  }
});

test('redirect (type 137): gateway = target address, quoted probe from the Redirected Header option', () => {
  // RFC 4861 4.5: reserved(4) target(16) destination(16) options. Here a target link-layer
  // address option (type 2, one 8-byte unit) comes first, then the Redirected Header (type 4).
  const tlla = ndpOption(2, [0x02, 0x00, 0x5e, 0x00, 0x53, 0x01]);
  const bytes = icmpv6Redirect('fe80::1', '2001:db8:1::7', [tlla, redirectedHeaderOption(quotedEchoV6(PROBE))]);
  // The option starts after 8 + 16 + 16 bytes, and its 6 reserved bytes precede the packet.
  assert.equal(bytes[40], 2);
  assert.equal(bytes[48], 4);
  assert.equal((bytes[56] as number) >> 4, 6);
  const error = asError(decodeIcmpv6(bytes));
  assert.equal(error.kind, 'redirect');
  assert.equal(error.type, 137);
  assert.equal(error.gateway, 'fe80::1');
  assert.equal(error.mtu, null);
  assert.equal(error.pointer, null);
  assertQuotesProbe(error);
});

test('redirect without a Redirected Header option, or with a zero-length option: gateway, no probe, no loop', () => {
  const noOption = asError(decodeIcmpv6(icmpv6Redirect('fe80::2', '2001:db8::9')));
  assert.equal(noOption.kind, 'redirect');
  assert.equal(noOption.gateway, 'fe80::2');
  assert.equal(noOption.quoted, null);
  // Length 0 is invalid (RFC 4861 4.6) and would make a naive walker spin in place.
  const zero = concat(icmpv6Redirect('fe80::3', '2001:db8::9'), [1, 0, 0, 0, 0, 0, 0, 0], redirectedHeaderOption(quotedEchoV6(PROBE)));
  const zeroError = asError(decodeIcmpv6(zero));
  assert.equal(zeroError.gateway, 'fe80::3');
  assert.equal(zeroError.quoted, null);
  // Hundreds of padding options before it: bounded work, still a redirect.
  const pads = Array.from({ length: 300 }, () => ndpOption(1, [0, 0, 0, 0, 0, 0]));
  const many = asError(decodeIcmpv6(icmpv6Redirect('fe80::4', '2001:db8::9', [...pads, redirectedHeaderOption(quotedEchoV6(PROBE))])));
  assert.equal(many.kind, 'redirect');
  assert.equal(many.gateway, 'fe80::4');
});

test('redirect whose Redirected Header option claims more than arrived: cut at the message end', () => {
  const option = redirectedHeaderOption(quotedEchoV6({ ...PROBE, payload: new Array<number>(40).fill(0xab) }));
  const bytes = icmpv6Redirect('fe80::1', '2001:db8:1::7', [option]);
  // Keep the whole quoted echo header (40 + 8 + 40 + 8) but drop the tail of the payload.
  const cut = bytes.subarray(0, 40 + 8 + 40 + 8 + 10);
  const error = asError(decodeIcmpv6(cut));
  assertQuotesProbe(error);
  assert.equal(error.quoted?.payload.length, 10);
  assert.ok((error.quoted?.payload.byteOffset ?? Infinity) + (error.quoted?.payload.length ?? 0) <= cut.byteOffset + cut.length);
});

test('a redirect shorter than its fixed 40 bytes is not taken as a redirect', () => {
  const full = icmpv6Redirect('fe80::1', '2001:db8::9');
  for (const n of [8, 24, 39]) {
    const m = decodeIcmpv6(full.subarray(0, n));
    assert.ok(m !== null);
    assert.equal(m.type, 137);
    assert.equal(isErrorMessage(m), false, `${n} bytes`);
  }
});

test('unknown and informational ICMPv6 types: kind other', () => {
  for (const type of [0, 5, 100, 127, 130, 133, 134, 135, 136, 138, 142, 200, 255]) {
    const m = decodeIcmpv6(icmpv6Message(type, 0, [1, 2, 3, 4], [5, 6, 7, 8, 9, 10, 11, 12]));
    assert.ok(m !== null);
    assert.equal(m.kind, 'other', `type ${type}`);
    assert.equal(m.type, type);
    assert.equal(m.family, 6);
    assert.equal(m.length, 16);
  }
});

test('fewer than 8 bytes: ignored', () => {
  for (let n = 0; n < 8; n++) {
    assert.equal(decodeIcmpv6(GOLDEN_REPLY.subarray(0, n)), null);
    const d = decodeReceived(GOLDEN_REPLY.subarray(0, n), 6, false);
    assert.equal(d.kind, 'ignored');
  }
});

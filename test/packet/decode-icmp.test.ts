// Golden byte vectors for ICMP (IPv4), through decodeIcmp (datagram sockets: ICMP alone) and
// decodeReceived (raw sockets: IPv4 header first). Layouts from RFC 791 3.1 and RFC 792;
// the MTU of "fragmentation needed" from RFC 1191 4.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeIcmp } from '../../src/packet/decode-icmp.js';
import { decodeReceived } from '../../src/packet/decode-received.js';
import type { EchoMessage, ErrorMessage, IcmpMessage } from '../../src/packet/icmp-message.js';
import { isErrorMessage } from '../../src/packet/icmp-message.js';
import type { Ipv4Header } from '../../src/packet/ipv4-header.js';
import {
  IPOPT_NOP,
  checksum,
  concat,
  gatewayRest,
  hex,
  icmpEcho,
  icmpError,
  icmpMessage,
  ipv4Datagram,
  nextHopMtu,
  pointerRest,
  quotedEchoV4,
  recordRoute,
} from '../helpers/packet-builders.js';

// Golden echo reply from 127.0.0.1, every byte by hand.
// IPv4 header: 4500 0020 abcd 4000 4001 <sum> 7f00 0001 7f00 0001
//   total length 0x20 = 32 = 20 + 12; DF; TTL 64; protocol 1.
//   sum: 4500+0020 = 4520; +abcd = f0ed; +4000 = 130ed; +4001 = 170ee; +7f00 = 1efee;
//   +0001 = 1efef; +7f00 = 26eef; +0001 = 26ef0; fold 6ef0 + 2 = 6ef2; ~6ef2 = 910d.
// ICMP: 00 00 <sum> 1234 0001 6162 6364 (type 0 code 0, id 0x1234, seq 1, payload "abcd")
//   sum: 0000 + 1234 + 0001 + 6162 + 6364 = d6fb; ~d6fb = 2904.
const GOLDEN_IP = hex('4500 0020 abcd 4000 4001 910d 7f00 0001 7f00 0001');
const GOLDEN_ICMP = hex('0000 2904 1234 0001 6162 6364');
const GOLDEN = concat(GOLDEN_IP, GOLDEN_ICMP);

function icmpOf(bytes: Uint8Array, truncated = false): { message: IcmpMessage; ip: Ipv4Header | null } {
  const d = decodeReceived(bytes, 4, true, truncated);
  assert.equal(d.kind, 'icmp', d.kind === 'ignored' ? d.reason : '');
  if (d.kind !== 'icmp') throw new Error('unreachable');
  return { message: d.message, ip: d.ip };
}

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

test('the hand-computed vector matches the packet builders (and its sums verify)', () => {
  assert.equal(checksum(GOLDEN_IP), 0);
  assert.equal(checksum(GOLDEN_ICMP), 0);
  assert.deepEqual(
    ipv4Datagram({ identification: 0xabcd, source: '127.0.0.1', destination: '127.0.0.1' }, icmpEcho(0, 0x1234, 1, [0x61, 0x62, 0x63, 0x64])),
    GOLDEN,
  );
});

test('golden echo reply on a raw socket: header skipped by IHL, every field decoded', () => {
  const { message, ip } = icmpOf(GOLDEN);
  const echo = asEcho(message);
  assert.equal(echo.kind, 'echo-reply');
  assert.equal(echo.family, 4);
  assert.equal(echo.type, 0);
  assert.equal(echo.code, 0);
  assert.equal(echo.identifier, 0x1234);
  assert.equal(echo.sequence, 1);
  assert.deepEqual(Array.from(echo.payload), [0x61, 0x62, 0x63, 0x64]);
  assert.equal(echo.length, 12);
  assert.equal(echo.checksumOk, true);
  assert.ok(ip !== null);
  assert.equal(ip.ttl, 64);
  assert.equal(ip.source, '127.0.0.1');
  assert.equal(ip.headerLength, 20);
});

test('golden echo reply on a datagram socket (ICMP alone), decodeIcmp and decodeReceived agree', () => {
  const direct = asEcho(decodeIcmp(GOLDEN_ICMP));
  assert.equal(direct.identifier, 0x1234);
  assert.equal(direct.sequence, 1);
  assert.equal(direct.checksumOk, true);
  const viaReceived = decodeReceived(GOLDEN_ICMP, 4, false);
  assert.equal(viaReceived.kind, 'icmp');
  if (viaReceived.kind === 'icmp') {
    assert.equal(viaReceived.ip, null);
    assert.deepEqual({ ...viaReceived.message, payload: null }, { ...direct, payload: null });
  }
});

test('payload is a view into the received bytes (no copy sized by the peer)', () => {
  const echo = asEcho(icmpOf(GOLDEN).message);
  assert.equal(echo.payload.buffer, GOLDEN.buffer);
  assert.equal(echo.payload.byteOffset, GOLDEN.byteOffset + 28);
});

test('echo reply with IHL 6..15 (NOP, record route with bad pointers, unknown options): ICMP found at IHL*4', () => {
  const icmp = icmpEcho(0, 0xcafe, 0x0102, [1, 2, 3, 4, 5, 6, 7, 8]);
  for (let ihl = 6; ihl <= 15; ihl++) {
    const n = (ihl - 5) * 4;
    // Option bytes start with 0x01 (NOP) or 0x07 (RR): read at offset 20 they would decode as
    // ICMP type 1 or 7 ("other"), so the test tells a fixed-20-byte reader apart.
    const variants: number[][] = [
      new Array<number>(n).fill(IPOPT_NOP),
      n >= 11 ? [...recordRoute(2, 200, 0xff), ...new Array<number>(n - 11).fill(IPOPT_NOP)] : [7, 0, 0, 0, ...new Array<number>(n - 4).fill(0)],
      [0x9f, 255, ...new Array<number>(n - 2).fill(0xee)],
    ];
    for (const options of variants) {
      const datagram = ipv4Datagram({ ihl, options, ttl: 3 }, icmp);
      const { message, ip } = icmpOf(datagram);
      const echo = asEcho(message);
      assert.equal(echo.kind, 'echo-reply', `IHL ${ihl}`);
      assert.equal(echo.identifier, 0xcafe);
      assert.equal(echo.sequence, 0x0102);
      assert.equal(echo.checksumOk, true);
      assert.equal(echo.length, 16);
      assert.deepEqual(Array.from(echo.payload), [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.equal(ip?.headerLength, ihl * 4);
      assert.equal(ip?.ttl, 3);
    }
  }
});

test('bad ICMP checksum: decoded with checksumOk false (counted as corrupted, not as a reply)', () => {
  const bad = icmpEcho(0, 0x1234, 1, [0x61, 0x62, 0x63, 0x64], true);
  const viaRaw = asEcho(icmpOf(ipv4Datagram({}, bad)).message);
  assert.equal(viaRaw.checksumOk, false);
  assert.equal(viaRaw.identifier, 0x1234);
  // One flipped payload bit in the golden vector: 0x61 -> 0x60 changes the sum by one.
  const flipped = Uint8Array.from(GOLDEN);
  flipped[28] = 0x60;
  assert.equal(asEcho(icmpOf(flipped).message).checksumOk, false);
  assert.equal(asEcho(decodeIcmp(flipped.subarray(20))).checksumOk, false);
  // An error message's checksum is checked the same way.
  const err = icmpError(11, 0, quotedEchoV4({ identifier: 1, sequence: 1 }));
  err[2] = (err[2] as number) ^ 0x01;
  assert.equal(asError(decodeIcmp(err)).checksumOk, false);
});

test('truncated datagram (total length beyond what arrived): decoded, checksumOk null', () => {
  // 56-byte payload: total length 84, only the first 50 bytes received.
  const payload = Array.from({ length: 56 }, (_, i) => i);
  const full = ipv4Datagram({}, icmpEcho(0, 0x0a0b, 0x0c0d, payload));
  assert.equal(full.length, 84);
  const cut = full.subarray(0, 50);
  const { message, ip } = icmpOf(cut);
  const echo = asEcho(message);
  assert.equal(echo.checksumOk, null);
  assert.equal(echo.identifier, 0x0a0b);
  assert.equal(echo.sequence, 0x0c0d);
  assert.equal(echo.length, 30);
  assert.equal(echo.payload.length, 22);
  assert.equal(ip?.totalLength, 84);
  // The kernel's MSG_TRUNC flag alone also means the sum cannot be trusted.
  assert.equal(asEcho(icmpOf(full, true).message).checksumOk, null);
  const dgram = decodeReceived(full.subarray(20), 4, false, true);
  assert.equal(dgram.kind === 'icmp' ? dgram.message.checksumOk : 'ignored', null);
  assert.equal(asEcho(decodeIcmp(full.subarray(20, 50), false)).checksumOk, null);
});

test('total length shorter than the received bytes: trailing garbage is excluded', () => {
  const garbage = [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03];
  const withTail = concat(GOLDEN, garbage);
  const echo = asEcho(icmpOf(withTail).message);
  assert.equal(echo.length, 12);
  assert.deepEqual(Array.from(echo.payload), [0x61, 0x62, 0x63, 0x64]);
  // With the garbage summed in, the checksum would fail: de ad + be ef + 00 01 + 02 03 != 0 mod ffff.
  assert.equal(echo.checksumOk, true);
});

test('fewer than 8 ICMP bytes: ignored', () => {
  for (let n = 0; n < 8; n++) {
    assert.equal(decodeIcmp(GOLDEN_ICMP.subarray(0, n)), null, `${n} bytes`);
    assert.equal(decodeReceived(GOLDEN_ICMP.subarray(0, n), 4, false).kind, 'ignored');
    // Raw: a whole IPv4 header whose total length covers only n ICMP bytes.
    const d = ipv4Datagram({}, GOLDEN_ICMP.subarray(0, n));
    assert.equal(decodeReceived(d, 4, true).kind, 'ignored', `raw, ${n} ICMP bytes`);
  }
  // Total length says 24 although 32 bytes arrived: only 4 ICMP bytes count.
  assert.equal(decodeReceived(ipv4Datagram({ totalLength: 24 }, GOLDEN_ICMP), 4, true).kind, 'ignored');
});

test('echo request (type 8): kind echo-request, never an echo reply', () => {
  const req = asEcho(decodeIcmp(icmpEcho(8, 7, 9, [1, 2])));
  assert.equal(req.kind, 'echo-request');
  assert.equal(req.identifier, 7);
  assert.equal(req.sequence, 9);
});

// ---------------------------------------------------------------------------------------------
// Errors quoting one of our probes.

const PROBE = { identifier: 0x5150, sequence: 0x0203, source: '192.0.2.1', destination: '198.51.100.7' };

function errorFromRouter(type: number, code: number, rest: number[] = [0, 0, 0, 0], quoted = quotedEchoV4(PROBE)): { error: ErrorMessage; router: string } {
  const datagram = ipv4Datagram({ source: '203.0.113.254', destination: '192.0.2.1', ttl: 250 }, icmpError(type, code, quoted, rest));
  const { message, ip } = icmpOf(datagram);
  return { error: asError(message), router: ip?.source ?? '' };
}

function assertQuotesProbe(error: ErrorMessage): void {
  assert.ok(error.quoted !== null, `${error.kind} ${error.code}: quoted probe found`);
  assert.equal(error.quoted.identifier, PROBE.identifier);
  assert.equal(error.quoted.sequence, PROBE.sequence);
  assert.equal(error.quoted.destination, PROBE.destination);
  assert.equal(error.quoted.source, PROBE.source);
}

test('destination unreachable, codes 0-15: kind, code, quoted probe, router address; MTU only for code 4', () => {
  for (let code = 0; code <= 15; code++) {
    const rest = code === 4 ? nextHopMtu(1400) : [0, 0, 0, 0];
    const { error, router } = errorFromRouter(3, code, rest);
    assert.equal(error.kind, 'destination-unreachable');
    assert.equal(error.family, 4);
    assert.equal(error.type, 3);
    assert.equal(error.code, code);
    assert.equal(error.checksumOk, true);
    assert.equal(error.mtu, code === 4 ? 1400 : null);
    assert.equal(error.pointer, null);
    assert.equal(error.gateway, null);
    assert.equal(router, '203.0.113.254');
    assertQuotesProbe(error);
  }
});

test('fragmentation needed: the next-hop MTU is the low 16 bits of the second word (RFC 1191)', () => {
  // 00 00 05 78 -> 1400; 00 00 ff ff -> 65535; an old router's 0 stays 0; the unused half is ignored.
  assert.equal(errorFromRouter(3, 4, nextHopMtu(1400)).error.mtu, 1400);
  assert.equal(errorFromRouter(3, 4, nextHopMtu(65535)).error.mtu, 65535);
  assert.equal(errorFromRouter(3, 4, nextHopMtu(0)).error.mtu, 0);
  assert.equal(errorFromRouter(3, 4, [0xab, 0xcd, 0x02, 0x40]).error.mtu, 576);
});

test('time exceeded (codes 0 and 1)', () => {
  for (const code of [0, 1]) {
    const { error } = errorFromRouter(11, code);
    assert.equal(error.kind, 'time-exceeded');
    assert.equal(error.code, code);
    assert.equal(error.mtu, null);
    assert.equal(error.pointer, null);
    assertQuotesProbe(error);
  }
});

test('parameter problem: the pointer is the first byte of the second word (RFC 792)', () => {
  for (const pointer of [0, 1, 20, 255]) {
    const { error } = errorFromRouter(12, 0, pointerRest(pointer));
    assert.equal(error.kind, 'parameter-problem');
    assert.equal(error.pointer, pointer);
    assert.equal(error.mtu, null);
    assertQuotesProbe(error);
  }
  // The bytes after the pointer are unused and do not leak into it.
  assert.equal(errorFromRouter(12, 0, [9, 0xff, 0xff, 0xff]).error.pointer, 9);
});

test('redirect: the gateway address is the second word (RFC 792), codes 0-3', () => {
  for (const code of [0, 1, 2, 3]) {
    const { error } = errorFromRouter(5, code, gatewayRest('10.0.0.1'));
    assert.equal(error.kind, 'redirect');
    assert.equal(error.code, code);
    assert.equal(error.gateway, '10.0.0.1');
    assert.equal(error.mtu, null);
    assert.equal(error.pointer, null);
    assertQuotesProbe(error);
  }
});

test('source quench: an error kind of its own, quoting the probe', () => {
  const { error } = errorFromRouter(4, 0);
  assert.equal(error.kind, 'source-quench');
  assert.equal(error.gateway, null);
  assertQuotesProbe(error);
});

test('unknown and informational types: kind other, not a reply, not an error', () => {
  for (const type of [1, 2, 6, 7, 9, 10, 13, 14, 15, 16, 17, 18, 42, 200, 255]) {
    const m = decodeIcmp(icmpMessage(type, 0, [0, 1, 0, 2], [1, 2, 3]));
    assert.ok(m !== null);
    assert.equal(m.kind, 'other', `type ${type}`);
    assert.equal(m.type, type);
    assert.equal(m.checksumOk, true);
    assert.equal(isErrorMessage(m), false);
  }
});

test('out-of-range code 200: decoded as what its type says, code kept, nothing invented', () => {
  const unreachable = errorFromRouter(3, 200).error;
  assert.equal(unreachable.kind, 'destination-unreachable');
  assert.equal(unreachable.code, 200);
  assert.equal(unreachable.mtu, null);
  assertQuotesProbe(unreachable);
  assert.equal(errorFromRouter(11, 200).error.code, 200);
  const reply = asEcho(decodeIcmp(icmpMessage(0, 200, [0, 1, 0, 2], [])));
  assert.equal(reply.code, 200);
});

test('errors quoting a datagram that carries IP options (inner IHL 6..15), with options outside too', () => {
  for (let ihl = 6; ihl <= 15; ihl++) {
    const n = (ihl - 5) * 4;
    const innerOptions = n >= 11 ? [...recordRoute(2, 4), ...new Array<number>(n - 11).fill(IPOPT_NOP)] : new Array<number>(n).fill(IPOPT_NOP);
    const quoted = quotedEchoV4({ ...PROBE, ihl, options: innerOptions });
    const outer = ipv4Datagram({ ihl: 7, options: [1, 1, 1, 1, 1, 1, 1, 0], source: '203.0.113.254' }, icmpError(11, 0, quoted));
    const { message, ip } = icmpOf(outer);
    const error = asError(message);
    assert.equal(ip?.headerLength, 28);
    assert.equal(error.kind, 'time-exceeded');
    assertQuotesProbe(error);
  }
});

test('errors whose quote is not one of our echo requests: still an error, quoted null', () => {
  const tcp = ipv4Datagram({ protocol: 6, totalLength: 60 }, [0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1]);
  assert.equal(errorFromRouter(3, 3, [0, 0, 0, 0], tcp).error.quoted, null);
  assert.equal(errorFromRouter(3, 1, [0, 0, 0, 0], new Uint8Array(0)).error.quoted, null);
  assert.equal(errorFromRouter(3, 1, [0, 0, 0, 0], quotedEchoV4(PROBE).subarray(0, 27)).error.quoted, null);
  const innerIhl4 = Uint8Array.from(quotedEchoV4(PROBE));
  innerIhl4[0] = 0x44;
  assert.equal(errorFromRouter(11, 0, [0, 0, 0, 0], innerIhl4).error.quoted, null);
  const innerTooLong = Uint8Array.from(quotedEchoV4(PROBE));
  innerTooLong[0] = 0x4f;
  assert.equal(errorFromRouter(11, 0, [0, 0, 0, 0], innerTooLong).error.quoted, null);
  const quotedReply = quotedEchoV4({ ...PROBE, type: 0 });
  assert.equal(errorFromRouter(11, 0, [0, 0, 0, 0], quotedReply).error.quoted, null);
});

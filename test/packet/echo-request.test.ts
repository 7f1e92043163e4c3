// Echo requests: RFC 792 (type 8) and RFC 4443 4.1 (type 128), network byte order, RFC 1071
// checksum; payload filled the way iputils fills it (byte i = i, or the -p pattern repeated),
// with rawping's 8-byte session cookie first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { COOKIE_BYTES, EchoRequestTemplate, type EchoRequestSpec, echoPayload, encodeEchoRequest } from '../../src/packet/echo-request.js';
import { internetChecksum } from '../../src/packet/checksum.js';
import { checksum, hex } from '../helpers/packet-builders.js';

const COOKIE = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04]);

test('golden echo request, every byte by hand', () => {
  // 08 00 <sum> 12 34 00 01 de ad be ef 01 02 03 04 (type 8, code 0, id 0x1234, seq 1, the cookie).
  // Sum: 0800 + 1234 = 1a34; +0001 = 1a35; +dead = f8e2; +beef = 1b7d1; +0102 = 1b8d3;
  // +0304 = 1bbd7; fold: bbd7 + 1 = bbd8; ~bbd8 = 4427.
  const bytes = encodeEchoRequest({ family: 4, identifier: 0x1234, size: 8, cookie: COOKIE }, 1);
  assert.deepEqual(bytes, hex('0800 4427 1234 0001 dead beef 0102 0304'));
});

test('golden ICMPv6 echo request: type 128, the same layout', () => {
  // 80 00 <sum> ab cd ff ff, no payload. Sum over the message alone (the kernel folds in the
  // pseudo-header on ICMPv6 sockets): 8000 + abcd = 12bcd; +ffff = 22bcc; fold 2bcc + 2 = 2bce;
  // ~2bce = d431.
  const bytes = encodeEchoRequest({ family: 6, identifier: 0xabcd, size: 0, cookie: COOKIE }, 0xffff);
  assert.deepEqual(bytes, hex('8000 d431 abcd ffff'));
});

test("payload: the cookie, then byte i = i & 0xff (iputils' default fill)", () => {
  const bytes = encodeEchoRequest({ family: 4, identifier: 1, size: 300, cookie: COOKIE }, 0);
  assert.equal(bytes.length, 308);
  assert.deepEqual(Array.from(bytes.subarray(8, 16)), Array.from(COOKIE));
  for (let i = 8; i < 300; i++) assert.equal(bytes[8 + i], i & 0xff, `payload byte ${i}`);
  // Spot checks: payload byte 8 = 0x08, byte 255 = 0xff, byte 256 wraps to 0, byte 299 = 299 - 256 = 43.
  assert.equal(bytes[8 + 8], 8);
  assert.equal(bytes[8 + 255], 0xff);
  assert.equal(bytes[8 + 256], 0);
  assert.equal(bytes[8 + 299], 43);
});

test('payload: a pattern repeats from payload byte 0 (pattern[i % length]), the cookie over its first bytes', () => {
  const pattern = Uint8Array.from([0xab, 0xcd, 0xef]);
  const payload = echoPayload({ family: 4, identifier: 1, size: 20, cookie: COOKIE, pattern });
  // Bytes 8..19: i % 3 for i = 8.. is 2,0,1,2,0,1,... -> ef ab cd ef ab cd ef ab cd ef ab cd.
  assert.deepEqual(payload, hex('dead beef 0102 0304  efab cdef abcd efab cdef abcd'));
  // An empty pattern means the default fill.
  assert.deepEqual(echoPayload({ family: 4, identifier: 1, size: 10, cookie: COOKIE, pattern: new Uint8Array(0) }), hex('dead beef 0102 0304 0809'));
  // One-byte pattern (ping -p ff).
  assert.deepEqual(echoPayload({ family: 6, identifier: 1, size: 11, cookie: COOKIE, pattern: Uint8Array.from([0xff]) }), hex('dead beef 0102 0304 ffffff'));
});

test('payload smaller than the cookie: the cookie is cut to the size; size 0 is the bare header', () => {
  for (let size = 0; size <= COOKIE_BYTES; size++) {
    const bytes = encodeEchoRequest({ family: 4, identifier: 7, size, cookie: COOKIE }, 3);
    assert.equal(bytes.length, 8 + size);
    assert.deepEqual(Array.from(bytes.subarray(8)), Array.from(COOKIE.subarray(0, size)));
    assert.equal(checksum(bytes), 0, `size ${size}`);
  }
  // Size 0 by hand: 0800 + 0007 + 0003 = 080a; ~080a = f7f5.
  assert.deepEqual(encodeEchoRequest({ family: 4, identifier: 7, size: 0, cookie: COOKIE }, 3), hex('0800 f7f5 0007 0003'));
});

test('identifier and sequence in network byte order; sequence taken modulo 2^16', () => {
  const spec: EchoRequestSpec = { family: 4, identifier: 0x0102, size: 8, cookie: COOKIE };
  const cases: Array<[number, number]> = [
    [0, 0],
    [1, 1],
    [0x00ff, 0x00ff],
    [0xff00, 0xff00],
    [0xffff, 0xffff],
    [0x10000, 0], // 65536 wraps to 0
    [0x10001, 1],
    [70000, 70000 - 65536], // 4464 = 0x1170
    [0x12345, 0x2345],
    [2 ** 32 + 5, 5],
  ];
  for (const [sequence, wire] of cases) {
    const bytes = encodeEchoRequest(spec, sequence);
    assert.equal(bytes[0], 8);
    assert.equal(bytes[1], 0);
    assert.equal(bytes[4], 0x01);
    assert.equal(bytes[5], 0x02);
    assert.equal(bytes[6], wire >> 8, `seq ${sequence} high byte`);
    assert.equal(bytes[7], wire & 0xff, `seq ${sequence} low byte`);
    // Summing a message with its checksum in place gives ffff, so the RFC 1071 sum is 0.
    assert.equal(checksum(bytes), 0, `seq ${sequence}`);
    assert.equal(internetChecksum(bytes), 0);
  }
});

test('the checksum verifies for every one of the 65536 sequence numbers (odd size, all-ones data)', () => {
  // All-0xff payload and identifier 0xffff push the running sum to its extremes, where a
  // missed end-around carry or a +0/-0 mix-up would show.
  const template = new EchoRequestTemplate({ family: 4, identifier: 0xffff, size: 33, cookie: new Uint8Array(8).fill(0xff), pattern: Uint8Array.from([0xff]) });
  for (let seq = 0; seq <= 0xffff; seq++) {
    const bytes = template.withSequence(seq);
    if (checksum(bytes) !== 0) assert.fail(`sequence ${seq}: checksum ${bytes[2]} ${bytes[3]} does not verify`);
  }
  const zeros = new EchoRequestTemplate({ family: 6, identifier: 0, size: 2, cookie: new Uint8Array(8) });
  for (let seq = 0; seq <= 0xffff; seq++) {
    if (checksum(zeros.withSequence(seq)) !== 0) assert.fail(`ICMPv6 sequence ${seq} does not verify`);
  }
});

/** The echo request as RFC 792 describes it, assembled independently of src/. */
function referenceEncode(spec: EchoRequestSpec, sequence: number): Uint8Array {
  const seq = ((sequence % 65536) + 65536) % 65536;
  const out = new Uint8Array(8 + spec.size);
  out[0] = spec.family === 4 ? 8 : 128;
  out[4] = (spec.identifier >> 8) & 0xff;
  out[5] = spec.identifier & 0xff;
  out[6] = seq >> 8;
  out[7] = seq & 0xff;
  const pattern = spec.pattern !== undefined && spec.pattern.length > 0 ? spec.pattern : null;
  for (let i = 0; i < spec.size; i++) {
    out[8 + i] =
      i < COOKIE_BYTES && i < spec.cookie.length ? (spec.cookie[i] as number) : pattern === null ? i & 0xff : (pattern[i % pattern.length] as number);
  }
  const sum = checksum(out);
  out[2] = sum >> 8;
  out[3] = sum & 0xff;
  return out;
}

const specArb = fc.record({
  family: fc.constantFrom<4 | 6>(4, 6),
  identifier: fc.integer({ min: 0, max: 0xffff }),
  size: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 2000 })),
  cookie: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  pattern: fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 }), { nil: undefined }),
});

test('property: a template reused over many sequences gives the same bytes as a fresh encode and as RFC 792', () => {
  fc.assert(
    fc.property(
      specArb,
      fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 0xffff, 0x10000), fc.nat()), { minLength: 1, maxLength: 8 }),
      (spec, sequences) => {
        const template = new EchoRequestTemplate(spec);
        for (const sequence of sequences) {
          const reused = Uint8Array.from(template.withSequence(sequence));
          assert.deepEqual(reused, encodeEchoRequest(spec, sequence));
          assert.deepEqual(reused, referenceEncode(spec, sequence));
          assert.equal(checksum(reused), 0);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test("withSequence writes into the template's own buffer (no allocation per send)", () => {
  const template = new EchoRequestTemplate({ family: 4, identifier: 1, size: 56, cookie: COOKIE });
  const a = template.withSequence(1);
  const b = template.withSequence(2);
  assert.equal(a, b);
  assert.equal(a, template.bytes);
  assert.equal(a[7], 2);
});

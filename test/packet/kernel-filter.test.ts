// The classic BPF identifier filter, run on a small interpreter (test/helpers/bpf-interpreter.ts)
// over hand-built packets. An IPv4 raw socket's filter sees the IPv4 header at offset 0;
// an ICMPv6 raw socket's sees the ICMPv6 header at offset 0 (Linux raw(7), raw6 receive path).
import assert from 'node:assert/strict';
import { endianness } from 'node:os';
import { test } from 'node:test';
import fc from 'fast-check';
import { ICMPV6_PASS_TYPES, ICMP_PASS_TYPES, identifierFilter } from '../../src/packet/kernel-filter.js';
import { OPCODES, checkProgram, decodeSockFilter, encodeSockFilter, runBpf } from '../helpers/bpf-interpreter.js';
import {
  IPOPT_NOP,
  icmpEcho,
  icmpError,
  icmpMessage,
  icmpv6Echo,
  icmpv6Message,
  icmpv6Redirect,
  ipv4Datagram,
  quotedEchoV4,
  quotedEchoV6,
  recordRoute,
  redirectedHeaderOption,
} from '../helpers/packet-builders.js';

const OURS = 0x4d2a;
const THEIRS = 0x4d2b;

const passes = (filter: Uint8Array, packet: Uint8Array): boolean => runBpf(filter, packet) !== 0;

// ---------------------------------------------------------------------------------------------
// The interpreter, checked on programs whose meaning is known independently.

test('interpreter: tcpdump\'s "ip" on Ethernet ({0x28,0,0,12},{0x15,0,1,0x800},{0x6,0,0,262144},{0x6,0,0,0}))', () => {
  const program = encodeSockFilter([
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 0, jf: 1, k: 0x0800 },
    { code: 0x06, jt: 0, jf: 0, k: 262144 },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
  const frame = new Uint8Array(60);
  frame[12] = 0x08;
  assert.equal(runBpf(program, frame), 262144);
  frame[13] = 0x06; // ARP
  assert.equal(runBpf(program, frame), 0);
  // A frame too short for the half-word load at 12: the kernel returns 0.
  assert.equal(runBpf(program, frame.subarray(0, 13)), 0);
});

test('interpreter: ldx 4*([k]&0xf) then indirect loads read past the IPv4 header', () => {
  const program = [
    { code: OPCODES.LDX_B_MSH, jt: 0, jf: 0, k: 0 },
    { code: OPCODES.LD_B_IND, jt: 0, jf: 0, k: 1 },
    { code: OPCODES.RET_A, jt: 0, jf: 0, k: 0 },
  ];
  const packet = new Uint8Array(64);
  packet[0] = 0x47; // IHL 7 -> x = 28
  packet[29] = 0x99;
  assert.equal(runBpf(program, packet), 0x99);
  assert.equal(runBpf(program, packet.subarray(0, 29)), 0, 'load at 29 of 29 bytes is out of bounds');
  // Half-word loads are big-endian.
  assert.equal(
    runBpf(
      [
        { code: OPCODES.LD_H_ABS, jt: 0, jf: 0, k: 1 },
        { code: OPCODES.RET_A, jt: 0, jf: 0, k: 0 },
      ],
      Uint8Array.from([0, 0x12, 0x34]),
    ),
    0x1234,
  );
});

test('interpreter: refuses what the kernel checker refuses and opcodes it does not model', () => {
  assert.throws(() =>
    checkProgram([
      { code: OPCODES.JEQ_K, jt: 5, jf: 0, k: 0 },
      { code: OPCODES.RET_K, jt: 0, jf: 0, k: 0 },
    ]),
  );
  assert.throws(() => checkProgram([{ code: OPCODES.LD_IMM, jt: 0, jf: 0, k: 0 }]));
  assert.throws(() =>
    runBpf(
      [
        { code: 0x04, jt: 0, jf: 0, k: 0 },
        { code: OPCODES.RET_K, jt: 0, jf: 0, k: 0 },
      ],
      new Uint8Array(4),
    ),
  );
  assert.throws(() => decodeSockFilter(new Uint8Array(12)));
});

// ---------------------------------------------------------------------------------------------
// The filter's encoding.

test('struct sock_filter layout: 8 bytes per instruction in host byte order, ending in a return', () => {
  for (const family of [4, 6] as const) {
    const bytes = identifierFilter(family, OURS);
    assert.ok(bytes.length > 0 && bytes.length % 8 === 0);
    const program = decodeSockFilter(bytes, endianness() === 'LE');
    checkProgram(program);
    // Whatever the host, code fields are small (< 0x100) when read in host order: a byte-order
    // mix-up would put them in the high byte.
    for (const ins of program) assert.ok(ins.code < 0x100, `opcode 0x${ins.code.toString(16)}`);
    // The identifier is an immediate somewhere in the program, as a plain 32-bit k.
    assert.ok(
      program.some((ins) => ins.k === OURS),
      `IPv${family}: k holds the identifier`,
    );
  }
});

test('the pass lists: ICMP echo reply and the errors; ICMPv6 echo reply, the four errors, redirect', () => {
  // RFC 792: 0 echo reply, 3 unreachable, 4 source quench, 5 redirect, 11 time exceeded, 12 parameter problem.
  assert.deepEqual(
    [...ICMP_PASS_TYPES].sort((a, b) => a - b),
    [0, 3, 4, 5, 11, 12],
  );
  // RFC 4443: 1-4 errors, 129 echo reply; RFC 4861: 137 redirect.
  assert.deepEqual(
    [...ICMPV6_PASS_TYPES].sort((a, b) => a - b),
    [1, 2, 3, 4, 129, 137],
  );
});

// ---------------------------------------------------------------------------------------------
// IPv4

const filter4 = identifierFilter(4, OURS);

test('IPv4: an echo reply with our identifier passes, with IHL 5 and with IHL 15', () => {
  const reply = icmpEcho(0, OURS, 1, [1, 2, 3, 4]);
  assert.ok(passes(filter4, ipv4Datagram({}, reply)), 'IHL 5');
  const options15 = [...recordRoute(9), IPOPT_NOP];
  assert.equal(options15.length, 40);
  const d15 = ipv4Datagram({ ihl: 15, options: options15 }, reply);
  assert.equal(d15[0], 0x4f);
  assert.ok(passes(filter4, d15), 'IHL 15');
  for (let ihl = 6; ihl <= 14; ihl++) {
    assert.ok(passes(filter4, ipv4Datagram({ ihl, options: new Array<number>((ihl - 5) * 4).fill(IPOPT_NOP) }, reply)), `IHL ${ihl}`);
  }
});

test('IPv4: an echo reply with another identifier is dropped, also when the options hide our id at offset 24', () => {
  assert.ok(!passes(filter4, ipv4Datagram({}, icmpEcho(0, THEIRS, 1))));
  assert.ok(!passes(filter4, ipv4Datagram({}, icmpEcho(0, 0, 1))));
  assert.ok(!passes(filter4, ipv4Datagram({}, icmpEcho(0, 0xffff, 1))));
  // A reader that assumed 20 bytes of header would find type 0 at 20 and our id at 24 here.
  const decoy = [0, 0, 0, 0, OURS >> 8, OURS & 0xff, 0, 0];
  const hidden = ipv4Datagram({ ihl: 7, options: decoy }, icmpEcho(0, THEIRS, 1));
  assert.ok(!passes(filter4, hidden));
  // Both bytes of the identifier count: ids differing only in the high or the low byte.
  assert.ok(!passes(filter4, ipv4Datagram({}, icmpEcho(0, OURS ^ 0x0100, 1))));
  assert.ok(!passes(filter4, ipv4Datagram({}, icmpEcho(0, OURS ^ 0x0001, 1))));
});

test('IPv4: ICMP errors pass whatever they quote', () => {
  const quotes = [
    quotedEchoV4({ identifier: OURS, sequence: 1 }),
    quotedEchoV4({ identifier: THEIRS, sequence: 1 }),
    quotedEchoV4({ protocol: 17, identifier: 1, sequence: 2 }),
    new Uint8Array(0),
  ];
  for (const type of [3, 4, 5, 11, 12]) {
    for (const quoted of quotes) {
      // The error's own "identifier" bytes (4-5) are MTU/gateway/pointer bytes: not compared.
      assert.ok(passes(filter4, ipv4Datagram({ ihl: 6, options: [1, 1, 1, 1] }, icmpError(type, 1, quoted, [0xde, 0xad, 0xbe, 0xef]))), `type ${type}`);
    }
  }
});

test('IPv4: a short echo reply whose identifier is not there is dropped (out-of-bounds load returns 0)', () => {
  const reply = ipv4Datagram({}, icmpEcho(0, OURS, 1));
  assert.ok(passes(filter4, reply.subarray(0, 26)));
  assert.ok(!passes(filter4, reply.subarray(0, 25)));
  assert.ok(!passes(filter4, reply.subarray(0, 20)));
  assert.ok(!passes(filter4, new Uint8Array(0)));
});

test('property IPv4: an echo reply passes iff its identifier is ours; every other type passes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 5, max: 15 }),
      fc.integer({ min: 0, max: 255 }),
      (ours, id, ihl, type) => {
        const f = identifierFilter(4, ours);
        const options = new Array<number>((ihl - 5) * 4).fill(IPOPT_NOP);
        assert.equal(passes(f, ipv4Datagram({ ihl, options }, icmpEcho(0, id, 7))), id === ours);
        if (type !== 0) assert.ok(passes(f, ipv4Datagram({ ihl, options }, icmpMessage(type, 0, [id >> 8, id & 0xff, 0, 0], []))));
      },
    ),
    { numRuns: 300 },
  );
});

// ---------------------------------------------------------------------------------------------
// IPv6

const filter6 = identifierFilter(6, OURS);

test('IPv6: echo reply with our identifier passes, another identifier is dropped', () => {
  assert.ok(passes(filter6, icmpv6Echo(129, OURS, 1, [1, 2, 3])));
  assert.ok(!passes(filter6, icmpv6Echo(129, THEIRS, 1)));
  assert.ok(!passes(filter6, icmpv6Echo(129, OURS ^ 0x8000, 1)));
  assert.ok(!passes(filter6, icmpv6Echo(129, OURS, 1).subarray(0, 5)), 'identifier cut off');
});

test('IPv6: errors and redirects pass whatever they quote', () => {
  const quotes = [quotedEchoV6({ identifier: OURS, sequence: 1 }), quotedEchoV6({ identifier: THEIRS, sequence: 1 }), new Uint8Array(0)];
  for (const type of [1, 2, 3, 4]) {
    for (const quoted of quotes) assert.ok(passes(filter6, icmpv6Message(type, 0, [0, 0, 5, 0], quoted)), `type ${type}`);
  }
  assert.ok(passes(filter6, icmpv6Redirect('fe80::1', '2001:db8::2', [redirectedHeaderOption(quotedEchoV6({ identifier: THEIRS, sequence: 1 }))])));
});

test('property IPv6: an echo reply passes iff its identifier is ours; other types pass', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), (ours, id, type) => {
      const f = identifierFilter(6, ours);
      assert.equal(passes(f, icmpv6Echo(129, id, 1)), id === ours);
      if (type !== 129) assert.ok(passes(f, icmpv6Message(type, 0, [id >> 8, id & 0xff, 0, 0], [])));
    }),
    { numRuns: 300 },
  );
});

// IPv4 options as ping sends and prints them: the bytes of -R and -T (golden vectors written
// out by hand from RFC 791 3.1), and the decoder over recorded routes and timestamps, cut or
// malformed options included. The decoder is total: any bytes in, a list out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeIpOptions, encodeRecordRoute, encodeTimestamp } from '../../src/packet/ip-options.js';
import { hex, IPOPT_NOP, recordRoute, v4 } from '../helpers/packet-builders.js';

describe('what -R and -T send', () => {
  test('-R: a NOP, then RR of 39 bytes (nine slots), pointer 4: 40 bytes, all slots zero', () => {
    // 01 | 07 27 04 | 36 zero bytes
    assert.deepEqual(encodeRecordRoute(), Uint8Array.from([0x01, 0x07, 0x27, 0x04, ...new Array<number>(36).fill(0)]));
  });

  test('-T tsonly: type 68, length 40, pointer 5, flag 0: room for nine times', () => {
    assert.deepEqual(encodeTimestamp('tsonly'), Uint8Array.from([0x44, 0x28, 0x05, 0x00, ...new Array<number>(36).fill(0)]));
  });

  test('-T tsandaddr: length 36, flag 1: room for four address and time pairs', () => {
    assert.deepEqual(encodeTimestamp('tsandaddr'), Uint8Array.from([0x44, 0x24, 0x05, 0x01, ...new Array<number>(32).fill(0)]));
  });

  test('-T tsprespec: flag 3, each host given with a zero time, length 4 + 8 per host', () => {
    assert.deepEqual(encodeTimestamp('tsprespec', ['192.0.2.1', '198.51.100.7']), hex('4414 0503 c0000201 00000000 c6336407 00000000'));
  });

  test('tsprespec needs 1 to 4 IPv4 addresses; the other kinds none', () => {
    assert.equal(encodeTimestamp('tsprespec', []), null);
    assert.equal(encodeTimestamp('tsprespec', ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5']), null);
    assert.equal(encodeTimestamp('tsprespec', ['2001:db8::1']), null);
    assert.equal(encodeTimestamp('tsprespec', ['host.example']), null);
    assert.equal(encodeTimestamp('tsonly', ['192.0.2.1']), null);
  });
});

describe('what replies bring back', () => {
  test('a recorded route: the filled slots, in order, up to the pointer', () => {
    // RR, length 39, pointer 20: four addresses recorded of nine (loopback records four).
    const rr = [7, 39, 20, ...v4('127.0.0.1'), ...v4('10.0.0.1'), ...v4('10.0.0.2'), ...v4('127.0.0.1'), ...new Array<number>(20).fill(0)];
    assert.deepEqual(decodeIpOptions(Uint8Array.from(rr)), [{ kind: 'record-route', addresses: ['127.0.0.1', '10.0.0.1', '10.0.0.2', '127.0.0.1'] }]);
  });

  test('NOPs are options of their own; end of list stops the walk', () => {
    const bytes = Uint8Array.from([IPOPT_NOP, ...recordRoute(2, 8), 0, 7, 7, 4, 9, 9, 9, 9]);
    const expected = [{ kind: 'nop' }, { kind: 'record-route', addresses: ['0.0.0.0'] }];
    assert.deepEqual(decodeIpOptions(bytes), expected);
  });

  test('a route option with nothing recorded yet (pointer 4) lists no address', () => {
    assert.deepEqual(decodeIpOptions(Uint8Array.from(recordRoute(9))), [{ kind: 'record-route', addresses: [] }]);
  });

  test('a full route: the pointer past the end gives all nine', () => {
    const full = recordRoute(9, 40, 1);
    assert.equal(decodeIpOptions(Uint8Array.from(full))[0]?.kind, 'record-route');
    assert.deepEqual(decodeIpOptions(Uint8Array.from(full)), [{ kind: 'record-route', addresses: new Array<string>(9).fill('1.1.1.1') }]);
  });

  test('tsonly: times in milliseconds since midnight UT; the high bit marks a non-standard time', () => {
    // 44 28 0d 00: pointer 13, two times used.
    const bytes = hex(`4428 0d00 00753d39 80000010 ${'00'.repeat(28)}`);
    assert.deepEqual(decodeIpOptions(bytes), [
      {
        kind: 'timestamp',
        flag: 0,
        overflow: 0,
        entries: [
          { address: null, time: 0x753d39, nonStandard: false },
          { address: null, time: 0x10, nonStandard: true },
        ],
      },
    ]);
  });

  test('tsandaddr: address and time pairs; the overflow count is the high nibble of the flags', () => {
    const bytes = hex(`4424 1521 7f000001 00000064 7f000001 00000065 ${'00'.repeat(16)}`);
    assert.deepEqual(decodeIpOptions(bytes), [
      {
        kind: 'timestamp',
        flag: 1,
        overflow: 2,
        entries: [
          { address: '127.0.0.1', time: 100, nonStandard: false },
          { address: '127.0.0.1', time: 101, nonStandard: false },
        ],
      },
    ]);
  });

  test('loose and strict source routes, and options it does not know', () => {
    const bytes = hex('8307 08c0000201 8907 04c6336407 9404 0000');
    assert.deepEqual(decodeIpOptions(bytes), [
      { kind: 'source-route', strict: false, addresses: ['192.0.2.1'] },
      { kind: 'source-route', strict: true, addresses: [] },
      { kind: 'unknown', type: 0x94 },
    ]);
  });

  test('a length below 2 or past the bytes ends the walk; an option cut short is not read', () => {
    assert.deepEqual(decodeIpOptions(hex('0701')), []);
    assert.deepEqual(decodeIpOptions(hex('0727 0c7f000001')), []);
    assert.deepEqual(decodeIpOptions(hex('01 07')), [{ kind: 'nop' }]);
    assert.deepEqual(decodeIpOptions(new Uint8Array(0)), []);
  });

  test('total: any 0 to 40 bytes decode without throwing, every address a dotted quad', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        for (const option of decodeIpOptions(bytes)) {
          const addresses =
            option.kind === 'record-route' || option.kind === 'source-route'
              ? option.addresses
              : option.kind === 'timestamp'
                ? option.entries.flatMap((e) => (e.address === null ? [] : [e.address]))
                : [];
          for (const a of addresses) assert.match(a, /^\d{1,3}(\.\d{1,3}){3}$/);
          if (option.kind === 'record-route') assert.ok(option.addresses.length <= 9);
        }
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { internetChecksum } from '../../src/packet/checksum.js';

test('RFC 1071 worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d', () => {
  const bytes = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assert.equal(internetChecksum(bytes), 0x220d);
});

test('an odd trailing byte is padded with zero on the right', () => {
  assert.equal(internetChecksum(Uint8Array.from([0x12])), ~0x1200 & 0xffff);
  assert.equal(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56])), ~(0x1234 + 0x5600) & 0xffff);
});

test('property: inserting the checksum makes the message sum to zero', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 2000 }), (data) => {
      const bytes = Uint8Array.from(data);
      bytes[2] = 0;
      bytes[3] = 0;
      const sum = internetChecksum(bytes);
      bytes[2] = sum >> 8;
      bytes[3] = sum & 0xff;
      assert.equal(internetChecksum(bytes), 0);
    }),
  );
});

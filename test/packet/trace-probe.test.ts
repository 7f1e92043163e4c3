// A trace's echo request: the sequence changes per probe, the checksum does not (Paris
// traceroute's one flow), and the packet stays a valid echo request.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TraceProbeTemplate } from '../../src/packet/trace-probe.js';
import { checksum } from '../helpers/packet-builders.js';

const cookie = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

describe('TraceProbeTemplate', () => {
  test('every sequence gives a valid checksum, and the same one', () => {
    const t = new TraceProbeTemplate({ family: 4, identifier: 0xbeef, size: 56, cookie });
    const sums = new Set<number>();
    for (const seq of [0, 1, 2, 255, 256, 0x7fff, 0x8000, 0xfffe, 0xffff, 65536 + 3]) {
      const bytes = t.withSequence(seq);
      assert.equal(checksum(bytes), 0, `sequence ${seq}: the packet sums to zero`);
      assert.equal((bytes[6] as number) * 256 + (bytes[7] as number), seq & 0xffff);
      sums.add((bytes[2] as number) * 256 + (bytes[3] as number));
    }
    assert.equal(sums.size, 1);
  });

  test('type, identifier and cookie as an echo request has them; the balance word follows the cookie', () => {
    const bytes = new TraceProbeTemplate({ family: 6, identifier: 0x0102, size: 20, cookie }).withSequence(0x1234);
    assert.deepEqual([bytes[0], bytes[1], bytes[4], bytes[5]], [128, 0, 1, 2]);
    assert.deepEqual(Array.from(bytes.subarray(8, 16)), Array.from(cookie));
    assert.deepEqual([bytes[16], bytes[17]], [0xed, 0xcb]);
    assert.equal(bytes.length, 28);
  });

  test('too small for the balance: still valid, the checksum follows the sequence', () => {
    const t = new TraceProbeTemplate({ family: 4, identifier: 7, size: 9, cookie });
    const a = Array.from(t.withSequence(1));
    assert.equal(checksum(a), 0);
    const b = Array.from(t.withSequence(2));
    assert.equal(checksum(b), 0);
    assert.notDeepEqual(a.slice(2, 4), b.slice(2, 4));
  });
});

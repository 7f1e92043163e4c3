import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inFlightBytesFor, RECEIVE_QUEUE_SHARE, replyQueueBytes } from '../../src/pinger/receive-capacity.js';

describe('replyQueueBytes', () => {
  // What one loopback reply took in a raw IPv4 socket's queue (SO_MEMINFO's rmem_alloc over the
  // replies queued), Linux 6.18 x86-64: the estimate must never be under these.
  const measured: [number, number][] = [
    [0, 832],
    [56, 832],
    [1000, 1399],
    [1472, 2304],
    [4000, 8448],
    [9000, 16640],
    [65000, 65832],
  ];
  for (const [payload, truesize] of measured) {
    test(`a ${payload}-byte payload: at least the ${truesize} bytes measured, at most twice that plus a page`, () => {
      const estimate = replyQueueBytes(4, payload);
      assert.ok(estimate >= truesize, `${estimate}`);
      assert.ok(estimate <= 2 * truesize + 4096, `${estimate}`);
    });
  }

  test('an IPv6 reply counts its larger header', () => {
    assert.ok(replyQueueBytes(6, 2000) >= replyQueueBytes(4, 2000));
  });
});

describe('inFlightBytesFor', () => {
  test('leaves a quarter of the queue for errors, duplicates and rounding', () => {
    assert.equal(RECEIVE_QUEUE_SHARE, 0.75);
    assert.equal(inFlightBytesFor(212992), 159744);
  });
});

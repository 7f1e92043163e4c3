// The --rate gate without a clock: a slot and a time in, a decision or the next slot out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextRateSlotMs, RATE_CREDIT_MS, rateAllows, rateWakeMs } from '../../src/pinger/rate-gate.js';

/** Sends as a loop that wakes at each given time sends them: as many as the gate allows at that time. */
function sendsAt(ratePps: number, wakeTimesMs: readonly number[], startMs = 0): number[] {
  let slot = startMs;
  const sent: number[] = [];
  for (const now of wakeTimesMs) {
    while (rateAllows(ratePps, slot, now)) {
      sent.push(now);
      slot = nextRateSlotMs(ratePps, slot, now);
    }
  }
  return sent;
}

describe('rateAllows', () => {
  test('no rate lets everything go', () => {
    assert.equal(rateAllows(0, 1e9, 0), true);
  });

  test('with a rate, only once the slot has come', () => {
    assert.equal(rateAllows(1000, 5, 4.999), false);
    assert.equal(rateAllows(1000, 5, 5), true);
  });
});

describe('nextRateSlotMs', () => {
  test('on time, one gap after the previous slot: 1000/s is one probe a millisecond', () => {
    assert.equal(nextRateSlotMs(1000, 10, 10), 11);
    assert.equal(nextRateSlotMs(250, 10, 10.5), 14);
  });

  test('a late wake-up keeps up to the credit of what it owed, no more', () => {
    // Woken 5 ms after the slot: the next slot is 2 ms back from now, plus one gap.
    assert.equal(nextRateSlotMs(1000, 10, 15), 15 - RATE_CREDIT_MS + 1);
    // Woken 1 ms late: all of it is owed (under the credit), so the slot just advances.
    assert.equal(nextRateSlotMs(1000, 10, 11), 11);
  });

  test('without a rate the slot does not move', () => {
    assert.equal(nextRateSlotMs(0, 7, 100), 7);
  });

  test('timers that each fire 1.5 ms apart still keep 1000/s on average', () => {
    const wakes = Array.from({ length: 200 }, (_, i) => i * 1.5);
    const sent = sendsAt(1000, wakes);
    // 298.5 ms of wake-ups: the pace owed about 300 probes; the credit lets the gate keep it.
    assert.ok(sent.length >= 297 && sent.length <= 301, `${sent.length} probes in 298.5 ms`);
  });

  test("after a long stall, one wake-up sends the probe due and the credit's worth, not the whole debt", () => {
    const sent = sendsAt(1000, [0, 50]);
    assert.equal(sent.filter((t) => t === 50).length, 1 + RATE_CREDIT_MS);
  });
});

describe('rateWakeMs', () => {
  test('a due probe waits for the slot when the rate holds it back, and not without a rate', () => {
    assert.equal(rateWakeMs(1000, 12, 10), 12);
    assert.equal(rateWakeMs(1000, 12, 15), 15);
    assert.equal(rateWakeMs(0, 12, 10), 10);
  });
});

// Pacing without a clock: each rule is a function of the config, the target's counters and a
// time given as a number, so the figures here are ping's rules written out by hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BUSY_BACKOFF_MAX_MS,
  BUSY_BACKOFF_MIN_MS,
  busyBackoffMs,
  FLOOD_IDLE_MS,
  LINGER_FLOOR_MS,
  lingerMs,
  nextDueMs,
  type PacedTarget,
  type PacingConfig,
  probeLifetimeMs,
  promptedDueMs,
  replyPromptsProbe,
} from '../../src/pinger/pacing.js';

function pacing(overrides: Partial<PacingConfig> = {}): PacingConfig {
  return { intervalMs: 1000, timeoutMs: 10_000, preload: 1, retries: 0, backoff: 1.5, adaptive: false, minIntervalMs: 0, ...overrides };
}

function target(overrides: Partial<PacedTarget> = {}): PacedTarget {
  return { transmitted: 1, received: 0, outstanding: 1, dueMs: 0, lastSendMs: 0, lingering: false, smoothedRttTimes8Us: 0, maxRttMs: 0, ...overrides };
}

describe('nextDueMs', () => {
  test('the interval follows the previous slot, not the moment of the send (drift-free)', () => {
    // The probe due at 3000 went 7 ms late: the next slot is still 4000.
    assert.equal(nextDueMs(pacing({ intervalMs: 1000 }), target({ transmitted: 4, dueMs: 3000 }), 3007), 4000);
  });

  test("a target's first probe anchors its schedule where it went: a sweep's later targets keep their interval", () => {
    // Due at the sweep's start (0) with everyone else, sent at 60 by the rate: the next at 160, not 100.
    assert.equal(nextDueMs(pacing({ intervalMs: 100 }), target({ transmitted: 1, dueMs: 0 }), 60), 160);
  });

  test('a probe that went later than its next slot: the next one keeps a full interval after it, no burst', () => {
    assert.equal(nextDueMs(pacing({ intervalMs: 100 }), target({ transmitted: 3, dueMs: 200 }), 5250), 5350);
    // On the slot exactly, the slot is taken as missed too.
    assert.equal(nextDueMs(pacing({ intervalMs: 100 }), target({ transmitted: 3, dueMs: 200 }), 300), 400);
  });

  test('preload: the first probes go back to back, then the interval', () => {
    const c = pacing({ preload: 3, intervalMs: 100 });
    assert.equal(nextDueMs(c, target({ transmitted: 1 }), 0), 0);
    assert.equal(nextDueMs(c, target({ transmitted: 2 }), 0), 0);
    assert.equal(nextDueMs(c, target({ transmitted: 3, dueMs: 0 }), 0), 100);
  });

  test('retries: each wait is the timeout times backoff to the number of probes before, and preload does not apply', () => {
    const c = pacing({ retries: 3, timeoutMs: 500, backoff: 1.5, preload: 5 });
    assert.deepEqual(
      [1, 2, 3].map((n) => nextDueMs(c, target({ transmitted: n }), 100) - 100),
      [500, 750, 1125],
    );
  });

  test('flood (interval 0): the idle pace, never under minIntervalMs', () => {
    assert.equal(nextDueMs(pacing({ intervalMs: 0 }), target(), 50), 50 + FLOOD_IDLE_MS);
    assert.equal(nextDueMs(pacing({ intervalMs: 0, minIntervalMs: 200 }), target(), 50), 250);
  });

  test('adaptive: the interval before any reply, then the smoothed RTT in whole ms', () => {
    const c = pacing({ adaptive: true, intervalMs: 200 });
    assert.equal(nextDueMs(c, target({ received: 0 }), 0), 200);
    // iputils' rtt is 8 x the smoothed RTT in µs: 8 x 5400 µs is 5.4 ms, which rounds to 5.
    assert.equal(nextDueMs(c, target({ received: 1, smoothedRttTimes8Us: 8 * 5400 }), 0), 5);
    assert.equal(nextDueMs(c, target({ received: 1, smoothedRttTimes8Us: 8 * 5600 }), 0), 6);
  });

  test("adaptive: a smoothed RTT that rounds to 0 is flood's idle pace, and the floor holds", () => {
    const c = pacing({ adaptive: true });
    assert.equal(nextDueMs(c, target({ received: 1, smoothedRttTimes8Us: 8 * 40 }), 0), FLOOD_IDLE_MS);
    assert.equal(nextDueMs(pacing({ adaptive: true, minIntervalMs: 2 }), target({ received: 1, smoothedRttTimes8Us: 8 * 1000 }), 0), 2);
    assert.equal(nextDueMs(pacing({ adaptive: true, minIntervalMs: 20 }), target({ received: 1, smoothedRttTimes8Us: 8 * 40 }), 0), 20);
  });

  test('whatever the pace, the next probe is never due before now', () => {
    fc.assert(
      fc.property(
        fc.record({
          intervalMs: fc.integer({ min: 0, max: 5000 }),
          timeoutMs: fc.integer({ min: 1, max: 10_000 }),
          preload: fc.integer({ min: 1, max: 5 }),
          retries: fc.integer({ min: 0, max: 4 }),
          backoff: fc.double({ min: 1, max: 3, noNaN: true }),
          adaptive: fc.boolean(),
          minIntervalMs: fc.integer({ min: 0, max: 200 }),
        }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 8_000_000 }),
        (c, transmitted, received, dueMs, nowMs, smoothed) => {
          const next = nextDueMs(c, target({ transmitted, received, dueMs, smoothedRttTimes8Us: smoothed }), nowMs);
          assert.ok(next >= nowMs, `${next} < ${nowMs}`);
        },
      ),
    );
  });
});

describe('a reply as the signal for the next probe', () => {
  test('flood and adaptive pacing send on a reply; an interval does not', () => {
    assert.equal(replyPromptsProbe(pacing({ intervalMs: 0 }), target({ outstanding: 0 })), true);
    assert.equal(replyPromptsProbe(pacing({ adaptive: true }), target({ outstanding: 0 })), true);
    assert.equal(replyPromptsProbe(pacing({ intervalMs: 1000 }), target({ outstanding: 0 })), false);
  });

  test('only while fewer than preload probes are out, and not once the last one is', () => {
    assert.equal(replyPromptsProbe(pacing({ intervalMs: 0, preload: 3 }), target({ outstanding: 2 })), true);
    assert.equal(replyPromptsProbe(pacing({ intervalMs: 0, preload: 3 }), target({ outstanding: 3 })), false);
    assert.equal(replyPromptsProbe(pacing({ intervalMs: 0 }), target({ outstanding: 0, lingering: true })), false);
  });

  test('the prompted probe goes at once, or minIntervalMs after the last send', () => {
    assert.equal(promptedDueMs(pacing({ minIntervalMs: 0 }), target({ lastSendMs: 100 }), 100.25), 100.25);
    assert.equal(promptedDueMs(pacing({ minIntervalMs: 2 }), target({ lastSendMs: 100 }), 100.25), 102);
    assert.equal(promptedDueMs(pacing({ minIntervalMs: 2 }), target({ lastSendMs: 100 }), 105), 105);
  });
});

describe('lingerMs', () => {
  test('twice the longest RTT once something came back', () => {
    assert.equal(lingerMs(pacing({ intervalMs: 10 }), target({ received: 3, maxRttMs: 40 })), 80);
  });

  test('at least one interval, and never under the floor (a loopback RTT is microseconds)', () => {
    assert.equal(lingerMs(pacing({ intervalMs: 1000 }), target({ received: 1, maxRttMs: 40 })), 1000);
    assert.equal(lingerMs(pacing({ intervalMs: 0 }), target({ received: 1, maxRttMs: 0.02 })), LINGER_FLOOR_MS);
  });

  test("no linger without a reply, or with retries: the last probe's timeout ends the target", () => {
    assert.equal(lingerMs(pacing(), target({ received: 0, maxRttMs: 0 })), null);
    assert.equal(lingerMs(pacing({ retries: 2 }), target({ received: 1, maxRttMs: 5 })), null);
  });
});

describe('probeLifetimeMs', () => {
  test("the timeout, or with retries until the last retry's wait is over", () => {
    assert.equal(probeLifetimeMs(pacing({ timeoutMs: 1000, retries: 0 })), 1000);
    assert.equal(probeLifetimeMs(pacing({ timeoutMs: 500, retries: 3, backoff: 1.5 })), 500 * 1.5 ** 3);
  });
});

describe('busyBackoffMs', () => {
  test('doubles from the minimum and stops at the maximum', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map(busyBackoffMs);
    assert.deepEqual(waits, [10, 20, 40, 80, 160, 320, 500, 500]);
    assert.equal(waits[0], BUSY_BACKOFF_MIN_MS);
    assert.equal(busyBackoffMs(1000), BUSY_BACKOFF_MAX_MS);
  });
});

// The schedule of a trace's probes (trace-pacing.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  answeredLaterMs,
  fullBudget,
  ROUTER_ANSWERS,
  spendAnswer,
  lastHopShown,
  lastHopToProbe,
  MAX_PROBE_GAP_MS,
  NEAR_FACTOR,
  nextRoundMs,
  probeDueMs,
  probeGapMs,
} from '../../src/pinger/trace-pacing.js';

const config = { intervalMs: 1000, firstHop: 1, maxHops: 30 };

describe('trace pacing', () => {
  test('the gap shares the interval over the hops to probe, at most MAX_PROBE_GAP_MS', () => {
    assert.equal(probeGapMs(config), MAX_PROBE_GAP_MS);
    assert.equal(probeGapMs({ ...config, intervalMs: 300 }), 10);
    assert.equal(probeGapMs({ intervalMs: 100, firstHop: 5, maxHops: 14 }), 10);
  });

  test("a round's probes all leave before the next round is due", () => {
    for (const intervalMs of [50, 200, 1000, 5000]) {
      for (const maxHops of [1, 5, 30, 255]) {
        const c = { intervalMs, firstHop: 1, maxHops };
        assert.ok(probeDueMs(c, 0, maxHops) < nextRoundMs(c, 0), JSON.stringify(c));
      }
    }
  });

  test('each hop keeps its place in the round, so the probes to one hop are one interval apart', () => {
    const start2 = nextRoundMs(config, 100);
    for (const hop of [1, 7, 30]) assert.equal(probeDueMs(config, start2, hop) - probeDueMs(config, 100, hop), 1000);
  });

  test('rounds probe to the destination once known, else to -m; reports show one silent hop past the last answer', () => {
    assert.equal(lastHopToProbe({ maxHops: 30 }, null), 30);
    assert.equal(lastHopToProbe({ maxHops: 30 }, 4), 4);
    assert.equal(lastHopToProbe({ maxHops: 3 }, 4), 3);
    assert.equal(lastHopShown({ firstHop: 1, maxHops: 30 }, 4, 4), 4);
    assert.equal(lastHopShown({ firstHop: 1, maxHops: 30 }, null, 3), 4);
    assert.equal(lastHopShown({ firstHop: 1, maxHops: 3 }, null, 3), 3);
    assert.equal(lastHopShown({ firstHop: 5, maxHops: 30 }, null, 0), 5);
  });
});

describe('the near wait', () => {
  test('a silent probe waits NEAR_FACTOR times the round trip of a later answer, after it', () => {
    assert.equal(NEAR_FACTOR, 10);
    assert.equal(answeredLaterMs(1000, 0.5), 1005);
    assert.equal(answeredLaterMs(1000, 0), 1000);
  });
});

describe("a router's answers (Linux's default ICMP rate limit)", () => {
  const spendAll = (times: number[]): boolean[] => {
    let budget = fullBudget(0);
    return times.map((t) => {
      const next = spendAnswer(budget, t);
      if (next !== null) budget = next;
      return next !== null;
    });
  };

  test('a burst of six, then one a second', () => {
    assert.deepEqual(ROUTER_ANSWERS, { costMs: 1000, burst: 6 });
    // Every 200 ms: six in the burst, the seventh at 1.2 s (1.2 answers refilled by then), the
    // eighth when the next whole answer is in, at 2 s.
    assert.deepEqual(spendAll([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200]), [
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  test('one probe a second is never refused, however long it goes on', () => {
    assert.ok(spendAll(Array.from({ length: 100 }, (_, i) => i * 1000)).every(Boolean));
  });

  test('the budget never holds more than the burst', () => {
    const budget = spendAnswer({ answers: 0, atMs: 0 }, 1e9);
    assert.deepEqual(budget, { answers: ROUTER_ANSWERS.burst - 1, atMs: 1e9 });
    assert.equal(spendAnswer({ answers: 0.5, atMs: 0 }, 100), null);
  });
});

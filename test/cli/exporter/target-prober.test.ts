// The prober's schedule on a mocked clock: a group's targets start in chunks of at most
// CHUNK_TARGETS whose starts are spread evenly over the interval, at start and after a reload
// (no thundering herd), and a reload restarts only the chunks it touches. No socket is
// opened: the hook that hands a chunk its sockets notes when the chunk starts and refuses, so
// the chunk ends there (its first probes would have gone out at that moment).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { DEFAULT_BUCKETS } from '../../../src/cli/exporter/exposition.js';
import { CHUNK_TARGETS, TargetProber, type ProbeTarget } from '../../../src/cli/exporter/target-prober.js';
import { labelText, TargetSeries } from '../../../src/cli/exporter/target-series.js';

const bounds = Float64Array.from(DEFAULT_BUCKETS);

function targets(n: number, intervalMs: number, third = 0): ProbeTarget[] {
  return Array.from({ length: n }, (_, i) => {
    const address = `127.${third}.${i >> 8}.${i & 255}`;
    return {
      key: address,
      host: address,
      address,
      settings: { intervalMs, timeoutMs: intervalMs, size: 56, tos: 0, source: '' },
      series: new TargetSeries(
        labelText([
          ['host', address],
          ['ip', address],
        ]),
        bounds,
      ),
    };
  });
}

/** A prober whose chunks note their start (mocked ms) and hosts, then stop. */
function probe(): { prober: TargetProber; starts: { ms: number; hosts: readonly string[] }[] } {
  const starts: { ms: number; hosts: readonly string[] }[] = [];
  const prober = new TargetProber({
    socketsFor: () => {
      throw new Error('no sockets in this test');
    },
    onChunkError: (_error, hosts) => starts.push({ ms: Date.now(), hosts }),
  });
  return { prober, starts };
}

/** Checks that `starts` (all after `t0`) are `n` chunks spread evenly over one interval from `t0`. */
function assertSpread(starts: readonly { ms: number; hosts: readonly string[] }[], t0: number, intervalMs: number, n: number, targetCount: number): void {
  assert.equal(starts.length, n, `${n} chunks`);
  assert.equal(
    starts.reduce((sum, s) => sum + s.hosts.length, 0),
    targetCount,
    'every target in one chunk',
  );
  assert.ok(
    starts.every((s) => s.hosts.length <= CHUNK_TARGETS),
    `at most ${CHUNK_TARGETS} at once`,
  );
  const at = starts.map((s) => s.ms - t0).sort((a, b) => a - b);
  // A start due at 999.4 ms is seen at the 1000 ms tick: the mocked clock moves in whole ms.
  assert.ok(at[0]! >= 0 && at[at.length - 1]! <= intervalMs, `all within the first interval: ${at.join(',')}`);
  const gap = intervalMs / n;
  for (let i = 1; i < at.length; i++) {
    assert.ok(Math.abs(at[i]! - at[i - 1]! - gap) <= 1, `evenly spread: ${at.join(',')}`);
  }
  // Not a burst: no two chunks start in the same millisecond, and the first starts before
  // the first gap is over (from a random phase, not always at 0).
  assert.equal(new Set(at).size, at.length, `distinct starts: ${at.join(',')}`);
  assert.ok(at[0]! < gap + 1, `first start ${at[0]} within the first gap ${gap}`);
}

/** Moves the mocked clock `ms` forward a millisecond at a time, so each timer fires in its own millisecond. */
function tickBy1(ms: number): void {
  for (let t = 0; t < ms; t++) mock.timers.tick(1);
}

describe('TargetProber schedule', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('at start: 320 targets at 1 s go out as 10 chunks, one every 100 ms, none at once', async () => {
    const { prober, starts } = probe();
    prober.sync(targets(320, 1000));
    assert.equal(prober.chunks, 10);
    assert.equal(starts.length, 0, 'nothing sent in the call itself');
    tickBy1(1000);
    assertSpread(starts, 1_000_000, 1000, 10, 320);
    await prober.stop();
  });

  test('after a reload: new targets are spread over their interval from the reload, unchanged ones not restarted', async () => {
    const { prober, starts } = probe();
    const old = targets(64, 2000);
    prober.sync(old);
    tickBy1(2000);
    assert.equal(starts.length, 2);
    starts.length = 0;

    // The same list again: nothing restarts.
    mock.timers.tick(5_000);
    prober.sync(old);
    tickBy1(2000);
    assert.equal(starts.length, 0, 'an unchanged config restarts no chunk');

    // 256 targets more, the old ones kept: 8 new chunks, spread from the reload.
    const t0 = Date.now();
    prober.sync([...old, ...targets(256, 2000, 1)]);
    assert.equal(prober.chunks, 10);
    tickBy1(2000);
    assertSpread(starts, t0, 2000, 8, 256);
    assert.ok(
      starts.every((s) => s.hosts.every((h) => h.startsWith('127.1.'))),
      'only the new targets started',
    );
    await prober.stop();
  });

  test('groups of different intervals are each spread over their own', async () => {
    const { prober, starts } = probe();
    prober.sync([...targets(128, 400, 2), ...targets(96, 3000, 3)]);
    tickBy1(3000);
    const fast = starts.filter((s) => s.hosts[0]?.startsWith('127.2.'));
    const slow = starts.filter((s) => s.hosts[0]?.startsWith('127.3.'));
    assertSpread(fast, 1_000_000, 400, 4, 128);
    assertSpread(slow, 1_000_000, 3000, 3, 96);
    await prober.stop();
  });
});

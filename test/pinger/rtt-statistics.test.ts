// RTT statistics against figures computed by hand. The iputils figures follow iputils'
// ping_common.c (gather_statistics) and ping_output.c (the summary): integer microseconds,
// tsum/tsum2 as doubles, avg = (long)(tsum / n), mdev = llsqrt((long long)((tsum2 - tsum*tsum/n) / n)),
// and the smoothed rtt: rtt = 8*t for the first sample (while rtt is 0), then rtt += t - rtt/8.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { RttStatistics, rttMicroseconds } from '../../src/pinger/rtt-statistics.js';

const MS = 1e6; // ns per ms
const US = 1e3; // ns per µs

function close(actual: number | undefined, expected: number, relative = 1e-12, why = ''): void {
  assert.ok(actual !== undefined);
  const tolerance = Math.max(Math.abs(expected) * relative, 1e-15);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${why} ${actual} is not within ${tolerance} of ${expected}`);
}

function statsOf(samplesNs: readonly number[]): RttStatistics {
  const s = new RttStatistics();
  for (const ns of samplesNs) s.add(ns);
  return s;
}

/** Deterministic pseudo-random sequence (a 32-bit LCG, Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

test('nothing before the first sample', () => {
  const s = new RttStatistics();
  assert.equal(s.count, 0);
  assert.equal(s.summary(), null);
  assert.equal(s.iputils(), null);
});

test('1, 2, 3, 4 ms: min 1, avg 2.5, max 4, mdev sqrt(1.25), jitter 1, nearest-rank percentiles', () => {
  const s = statsOf([1 * MS, 2 * MS, 3 * MS, 4 * MS]);
  assert.equal(s.count, 4);
  const r = s.summary();
  assert.ok(r !== null);
  assert.equal(r.min, 1);
  assert.equal(r.max, 4);
  close(r.avg, 2.5);
  // Population variance: ((1.5)^2 + (0.5)^2 + (0.5)^2 + (1.5)^2) / 4 = 5 / 4 = 1.25.
  close(r.mdev, Math.sqrt(1.25));
  // |2-1| + |3-2| + |4-3| over 3 gaps.
  close(r.jitter, 1);
  // Nearest rank = ceil(p/100 * n): p50 -> rank 2, p90 -> ceil(3.6) = 4, p99 -> ceil(3.96) = 4.
  assert.equal(r.p50, 2);
  assert.equal(r.p90, 4);
  assert.equal(r.p99, 4);
});

test('iputils figures for 1000, 2000, 3000, 4000 µs', () => {
  const r = statsOf([1 * MS, 2 * MS, 3 * MS, 4 * MS]).iputils();
  assert.ok(r !== null);
  assert.equal(r.minUs, 1000);
  assert.equal(r.maxUs, 4000);
  // tsum = 10000, n = 4: avg = 2500.
  assert.equal(r.avgUs, 2500);
  // tsum2 = 1e6 + 4e6 + 9e6 + 16e6 = 30e6; (30e6 - 10000*10000/4) / 4 = (30e6 - 25e6) / 4 = 1250000;
  // llsqrt(1250000) = 1118 (1118^2 = 1249924 <= 1250000 < 1119^2 = 1252161).
  assert.equal(r.mdevUs, 1118);
  // rtt: 8*1000 = 8000; 8000 + 2000 - 1000 = 9000; 9000 + 3000 - 1125 = 10875;
  // 10875 + 4000 - 1359 (10875/8 = 1359.375, truncated) = 13516.
  assert.equal(r.ewmaTimes8Us, 13516);
});

test('iputils figures truncate where iputils truncates: 10, 20, 40 µs', () => {
  const r = statsOf([10 * US, 20 * US, 40 * US]).iputils();
  assert.ok(r !== null);
  // avg = (long)(70 / 3) = (long)23.33 = 23.
  assert.equal(r.avgUs, 23);
  // (2100 - 4900/3) / 3 = (2100 - 1633.33) / 3 = 155.56 -> 155; llsqrt(155) = 12 (144 <= 155 < 169).
  assert.equal(r.mdevUs, 12);
  // rtt: 80; 80 + 20 - 10 = 90; 90 + 40 - 11 (90/8 = 11.25) = 119.
  assert.equal(r.ewmaTimes8Us, 119);
  // The library's figure is the exact population SD: sqrt(466.67 / 3) µs = 12.472 µs.
  close(statsOf([10 * US, 20 * US, 40 * US]).summary()?.mdev, Math.sqrt((2100 - 4900 / 3) / 3) / 1000, 1e-9);
});

test("iputils' computation order: 1 and 2 µs give avg 1 and mdev 0 (not 2, not 1)", () => {
  const r = statsOf([1 * US, 2 * US]).iputils();
  assert.ok(r !== null);
  // avg = (long)(3 / 2) = 1 (truncated, not rounded).
  assert.equal(r.avgUs, 1);
  // (tsum2 - tsum*tsum/n) / n = (5 - 9/2) / 2 = 0.25 -> 0. (tsum2/n - avg*avg would give 2.5 - 1 = 1.)
  assert.equal(r.mdevUs, 0);
  assert.equal(r.minUs, 1);
  assert.equal(r.maxUs, 2);
  // rtt: 8; 8 + 2 - 1 = 9.
  assert.equal(r.ewmaTimes8Us, 9);
});

test('very long RTTs: mdev is still a square root when the variance passes 2^53 µs²', () => {
  // 0 and 200 s: tsum = 2e8 µs; (tsum2 - tsum^2/2) / 2 = (4e16 - 2e16) / 2 = 1e16 (> 2^53 = 9.007e15);
  // llsqrt(1e16) = 1e8 µs = 100 s, the population SD of {0, 200 s}.
  assert.equal(statsOf([0, 200e9]).iputils()?.mdevUs, 1e8);
  // 1000 s, 2000 s, 3000 s also take iputils' other branch (tsum >= INT_MAX).
  const s = statsOf([1000e9, 2000e9, 3000e9]);
  const r = s.iputils();
  assert.ok(r !== null);
  assert.equal(r.minUs, 1e9);
  assert.equal(r.maxUs, 3e9);
  assert.equal(r.avgUs, 2e9);
  // tsum = 6e9 >= 2^31 - 1: tmvar = tsum2/n - avg^2 = 14e18/3 - 4e18 = (2/3)e18;
  // sqrt((2/3)e18) = 1e9 * sqrt(2/3) = 816496580.93 -> 816496580.
  assert.equal(r.mdevUs, 816496580);
  close(s.summary()?.mdev, 1e6 * Math.sqrt(2 / 3), 1e-9, 'ms');
});

test('repeated identical values (duplicates enter the statistics too): spread 0', () => {
  const s = statsOf([1234567, 1234567, 1234567, 1234567, 1234567]);
  const r = s.summary();
  assert.ok(r !== null);
  assert.equal(r.min, 1.234567);
  assert.equal(r.max, 1.234567);
  close(r.avg, 1.234567);
  assert.equal(r.mdev, 0);
  assert.equal(r.jitter, 0);
  assert.equal(r.p50, 1.234567);
  assert.equal(r.p99, 1.234567);
  const i = s.iputils();
  assert.ok(i !== null);
  // 1234.567 µs -> 1235 µs each: avg 1235, variance (5*1235^2 - 6175^2/5) / 5 = 0.
  assert.deepEqual([i.minUs, i.avgUs, i.maxUs, i.mdevUs], [1235, 1235, 1235, 0]);
  // rtt: 9880; then 9880 + 1235 - 1235 = 9880 every time.
  assert.equal(i.ewmaTimes8Us, 9880);
});

test('rttMicroseconds: nanoseconds to the nearest whole microsecond, negatives as 0', () => {
  assert.equal(rttMicroseconds(0), 0);
  assert.equal(rttMicroseconds(499), 0);
  assert.equal(rttMicroseconds(500), 1);
  assert.equal(rttMicroseconds(1499), 1);
  assert.equal(rttMicroseconds(1500), 2);
  assert.equal(rttMicroseconds(45_678), 46);
  assert.equal(rttMicroseconds(-1), 0);
  assert.equal(rttMicroseconds(-5_000_000), 0);
});

test('a negative sample (a clock that stepped back) counts as 0, never below', () => {
  const s = statsOf([2 * MS, -5 * MS]);
  assert.equal(s.summary()?.min, 0);
  assert.equal(s.iputils()?.minUs, 0);
  close(s.summary()?.avg, 1);
});

test('jitter: mean absolute difference of consecutive RTTs; 0 for one sample', () => {
  // |30-10| + |20-30| = 30 over 2 gaps = 15 ms.
  close(statsOf([10 * MS, 30 * MS, 20 * MS]).summary()?.jitter, 15);
  assert.equal(statsOf([10 * MS]).summary()?.jitter, 0);
  assert.equal(statsOf([10 * MS]).summary()?.mdev, 0);
});

test("property: ewmaTimes8Us follows iputils' recurrence exactly", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 5_000_000 })), { minLength: 1, maxLength: 200 }),
      (us) => {
        let rtt = 0;
        for (const t of us) rtt = rtt === 0 ? 8 * t : rtt + t - Math.trunc(rtt / 8);
        assert.equal(statsOf(us.map((t) => t * US)).iputils()?.ewmaTimes8Us, rtt);
      },
    ),
    { numRuns: 300 },
  );
});

test('maxMs and ewmaTimes8Us (what pacing reads per probe) are summary().max and iputils().ewmaTimes8Us, 0 before a sample', () => {
  const empty = new RttStatistics();
  assert.equal(empty.maxMs, 0);
  assert.equal(empty.ewmaTimes8Us, 0);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1000, max: 5_000_000_000 }), { minLength: 1, maxLength: 100 }), (ns) => {
      const s = statsOf(ns);
      assert.equal(s.maxMs, s.summary()?.max);
      assert.equal(s.ewmaTimes8Us, s.iputils()?.ewmaTimes8Us);
    }),
    { numRuns: 200 },
  );
});

test('mdev goes through llsqrt as iputils has it, which is not always floor(sqrt))', () => {
  // Samples 0, 0, 0, 4 us: tsum 4, tsum2 16, variance (16 - 16/4) / 4 = 3. floor(sqrt(3)) is
  // 1, but iputils' Newton loop returns the step after its last decrease: 3 -> 2 -> 1 -> 2.
  assert.equal(statsOf([0, 0, 0, 4 * US]).iputils()?.mdevUs, 2);
  // Samples 0 and 6 us: variance 9, a perfect square: 3.
  assert.equal(statsOf([0, 6 * US]).iputils()?.mdevUs, 3);
});

test('property: iputils avg/mdev/min/max match the formulas for integer-µs samples', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 100 }), (us) => {
      const n = us.length;
      const tsum = us.reduce((a, b) => a + b, 0);
      const tsum2 = us.reduce((a, b) => a + b * b, 0);
      const avg = Math.trunc(tsum / n);
      const tmvar = Math.trunc(tsum < 2147483647 ? (tsum2 - (tsum * tsum) / n) / n : tsum2 / n - avg * avg);
      // iputils' llsqrt, in exact 64-bit integers: Newton steps while they decrease, returning
      // the step after the last decrease. That is not always floor(sqrt): llsqrt(3) is 2, and
      // ping prints what llsqrt gives, so rawping must too.
      const llsqrt = (a: bigint): bigint => {
        let prev = BigInt('9223372036854775807');
        let x = a;
        if (x > 0n) {
          while (x < prev) {
            prev = x;
            x = (x + a / x) / 2n;
          }
        }
        return x;
      };
      const mdev = Number(llsqrt(BigInt(tmvar)));
      const r = statsOf(us.map((t) => t * US)).iputils();
      assert.ok(r !== null);
      assert.equal(r.avgUs, avg);
      assert.equal(r.mdevUs, mdev);
      assert.equal(r.minUs, Math.min(...us));
      assert.equal(r.maxUs, Math.max(...us));
    }),
    { numRuns: 500 },
  );
});

test('percentiles up to 64 samples are exact nearest-rank, whatever the arrival order', () => {
  const ten = [70, 10, 100, 40, 20, 90, 30, 60, 80, 50].map((ms) => ms * MS);
  const r10 = statsOf(ten).summary();
  // Ranks ceil(0.5*10) = 5, ceil(0.9*10) = 9, ceil(0.99*10) = 10 of 10..100.
  assert.deepEqual([r10?.p50, r10?.p90, r10?.p99], [50, 90, 100]);
  const sixtyFour = Array.from({ length: 64 }, (_, i) => (64 - i) * MS);
  const r64 = statsOf(sixtyFour).summary();
  // Ranks 32, ceil(57.6) = 58, ceil(63.36) = 64 of 1..64.
  assert.deepEqual([r64?.p50, r64?.p90, r64?.p99], [32, 58, 64]);
  assert.equal(statsOf([7 * MS]).summary()?.p50, 7);
});

test('property: up to 64 samples, p50/p90/p99 are the nearest-rank samples', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000 }), { minLength: 1, maxLength: 64 }), (ns) => {
      const sorted = [...ns].sort((a, b) => a - b);
      // Nearest rank in integers: ceil(p*n/100) = floor((p*n + 99) / 100).
      const at = (p: number): number => (sorted[Math.floor((p * ns.length + 99) / 100) - 1] as number) / MS;
      const r = statsOf(ns).summary();
      assert.ok(r !== null);
      assert.equal(r.p50, at(50));
      assert.equal(r.p90, at(90));
      assert.equal(r.p99, at(99));
      assert.equal(r.min, (sorted[0] as number) / MS);
      assert.equal(r.max, (sorted[sorted.length - 1] as number) / MS);
    }),
    { numRuns: 500 },
  );
});

function assertPercentilesWithin1Percent(samplesNs: number[], why: string): void {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const r = statsOf(samplesNs).summary();
  assert.ok(r !== null);
  for (const [p, got] of [
    [50, r.p50],
    [90, r.p90],
    [99, r.p99],
  ] as const) {
    const exact = (sorted[Math.floor((p * sorted.length + 99) / 100) - 1] as number) / MS;
    close(got, exact, 0.01, `${why} p${p}`);
  }
}

test('beyond 64 samples percentiles stay within 1%: 65 samples, 1000 samples of 1..1000 µs', () => {
  assertPercentilesWithin1Percent(
    Array.from({ length: 65 }, (_, i) => (i + 1) * MS),
    '65 samples',
  );
  const rand = lcg(42);
  const thousand = Array.from({ length: 1000 }, (_, i) => (i + 1) * US);
  for (let i = thousand.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [thousand[i], thousand[j]] = [thousand[j] as number, thousand[i] as number];
  }
  const r = statsOf(thousand).summary();
  assert.ok(r !== null);
  // Nearest ranks 500, 900, 990 of 1..1000 µs.
  close(r.p50, 0.5, 0.01, 'p50');
  close(r.p90, 0.9, 0.01, 'p90');
  close(r.p99, 0.99, 0.01, 'p99');
  // min/max/avg/mdev stay exact: mean 500.5 µs, population SD sqrt((1000^2 - 1) / 12) µs.
  assert.equal(r.min, 0.001);
  assert.equal(r.max, 1);
  close(r.avg, 0.5005, 1e-9);
  close(r.mdev, Math.sqrt((1000 * 1000 - 1) / 12) / 1000, 1e-9);
});

test('100000 samples spread over 50 µs..2 s: percentiles within 1%', () => {
  const rand = lcg(7);
  // Log-uniform spread, as RTTs across many targets are.
  const samples = Array.from({ length: 100_000 }, () => Math.round(50 * US * Math.exp(rand() * Math.log(40_000))));
  assertPercentilesWithin1Percent(samples, '100000 log-uniform');
  // All but a few samples equal: the percentiles are that value (within 1%).
  const flat = Array.from({ length: 100_000 }, (_, i) => (i % 1000 === 0 ? 900 * MS : 20 * MS));
  assertPercentilesWithin1Percent(flat, '100000 mostly 20 ms');
});

test('memory stays bounded: a million samples do not keep a million numbers', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const s = new RttStatistics();
  for (let i = 0; i < 1000; i++) s.add(1e6 + i + 0.5);
  gc();
  const before = process.memoryUsage().heapUsed;
  // Non-integer nanoseconds, so a kept array would hold 8-byte doubles: >= 8 MB for 1e6.
  for (let i = 0; i < 1_000_000; i++) s.add(1e6 + (i % 50_000) * 10 + 0.5);
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 2_000_000, `heap grew by ${grown} bytes over 1e6 samples`);
  assert.equal(s.count, 1_001_000);
  // The median of the 1e6 (1 ms + 0..499990 ns, uniform) is about 1.25 ms.
  close(s.summary()?.p50, 1.25, 0.01, 'p50');
});

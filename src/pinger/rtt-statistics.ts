// Streaming round-trip statistics in constant memory. Two views of the same samples:
// - the library's figures in milliseconds at nanosecond precision (min, avg, max, mdev,
//   jitter, percentiles);
// - the integer-microsecond figures iputils prints, computed in iputils' own order of
//   operations so the CLI's rtt line matches it digit for digit.

import type { IputilsRtt, RttSummary } from './rtt-summary.js';

const EXACT_SAMPLES = 64;
// Log histogram: bucket i covers [BASE * RATIO^i, BASE * RATIO^(i+1)) nanoseconds,
// 1 µs to about 1000 s at 1% resolution: 2084 buckets, 8 KiB, allocated only past 64 samples.
const HIST_BASE_NS = 1000;
const HIST_RATIO = 1.01;
const HIST_BUCKETS = Math.ceil(Math.log(1e12 / HIST_BASE_NS) / Math.log(HIST_RATIO));

/**
 * An RTT in nanoseconds as the whole microseconds iputils works in (rounded to nearest, so
 * the result is unbiased; iputils subtracts two truncated microsecond stamps).
 */
export function rttMicroseconds(rttNs: number): number {
  return Math.round((rttNs > 0 ? rttNs : 0) / 1000);
}

/** Integer square root by Newton's method, as iputils computes mdev. */
function integerSqrt(a: number): number {
  let x = a;
  if (x > 0) {
    let prev = Infinity;
    while (x < prev) {
      prev = x;
      x = Math.floor((x + Math.floor(a / x)) / 2);
    }
  }
  return x;
}

/** Accumulates RTT samples; memory stays constant however many are added. */
export class RttStatistics {
  #count = 0;
  // Library figures (nanoseconds; Welford's running mean and sum of squared deviations).
  #minNs = Infinity;
  #maxNs = -Infinity;
  #meanNs = 0;
  #m2 = 0;
  #lastNs = -1;
  #jitterSumNs = 0;
  #samples: number[] = [];
  #histogram: Uint32Array | null = null;
  // iputils figures (integer microseconds; tsum and tsum2 are doubles in iputils too).
  #tsum = 0;
  #tsum2 = 0;
  #tmin = Infinity;
  #tmax = 0;
  #ewma8 = 0;

  /** Number of samples added. */
  get count(): number {
    return this.#count;
  }

  /** The largest RTT, ms (as summary().max, without computing the rest); 0 before a sample. */
  get maxMs(): number {
    return this.#count === 0 ? 0 : this.#maxNs / 1e6;
  }

  /** iputils' smoothed RTT times 8, µs (as iputils().ewmaTimes8Us); 0 before a sample. */
  get ewmaTimes8Us(): number {
    return this.#ewma8;
  }

  /** Adds one RTT in nanoseconds (negative values are taken as 0). */
  add(rttNs: number): void {
    const ns = rttNs > 0 ? rttNs : 0;
    this.#count++;
    if (ns < this.#minNs) this.#minNs = ns;
    if (ns > this.#maxNs) this.#maxNs = ns;
    const delta = ns - this.#meanNs;
    this.#meanNs += delta / this.#count;
    this.#m2 += delta * (ns - this.#meanNs);
    if (this.#lastNs >= 0) this.#jitterSumNs += Math.abs(ns - this.#lastNs);
    this.#lastNs = ns;
    this.#addPercentileSample(ns);

    const us = rttMicroseconds(ns);
    this.#tsum += us;
    this.#tsum2 += us * us;
    if (us < this.#tmin) this.#tmin = us;
    if (us > this.#tmax) this.#tmax = us;
    // iputils: rtt = 8 * sample while it is 0, then rtt += sample - rtt / 8 (integer arithmetic).
    this.#ewma8 = this.#ewma8 === 0 ? us * 8 : this.#ewma8 + us - Math.trunc(this.#ewma8 / 8);
  }

  #addPercentileSample(ns: number): void {
    if (this.#histogram === null) {
      this.#samples.push(ns);
      if (this.#samples.length <= EXACT_SAMPLES) return;
      this.#histogram = new Uint32Array(HIST_BUCKETS);
      for (const sample of this.#samples) this.#bucketAdd(sample);
      this.#samples = [];
      return;
    }
    this.#bucketAdd(ns);
  }

  #bucketAdd(ns: number): void {
    const index = ns <= HIST_BASE_NS ? 0 : Math.floor(Math.log(ns / HIST_BASE_NS) / Math.log(HIST_RATIO));
    const histogram = this.#histogram as Uint32Array;
    const bucket = Math.min(index, HIST_BUCKETS - 1);
    histogram[bucket] = (histogram[bucket] as number) + 1;
  }

  /** Nearest-rank percentile `p` (0-100) in nanoseconds; `sorted`: the exact samples in order, while there is no histogram. */
  #percentileNs(p: number, sorted: readonly number[]): number {
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    if (this.#histogram === null) return sorted[rank - 1] as number;
    let seen = 0;
    for (let i = 0; i < HIST_BUCKETS; i++) {
      seen += this.#histogram[i] as number;
      if (seen >= rank) {
        const mid = HIST_BASE_NS * HIST_RATIO ** (i + 0.5);
        return Math.min(this.#maxNs, Math.max(this.#minNs, mid));
      }
    }
    return this.#maxNs;
  }

  /** The library's figures in milliseconds, or null before the first sample. */
  summary(): RttSummary | null {
    if (this.#count === 0) return null;
    const ms = (ns: number): number => ns / 1e6;
    // One sorted copy for the three percentiles (a sweep summarizes every target, most with one sample).
    const sorted = this.#histogram !== null || this.#samples.length < 2 ? this.#samples : this.#samples.slice().sort((a, b) => a - b);
    return {
      min: ms(this.#minNs),
      avg: ms(this.#meanNs),
      max: ms(this.#maxNs),
      mdev: ms(Math.sqrt(this.#m2 / this.#count)),
      jitter: this.#count > 1 ? ms(this.#jitterSumNs / (this.#count - 1)) : 0,
      p50: ms(this.#percentileNs(50, sorted)),
      p90: ms(this.#percentileNs(90, sorted)),
      p99: ms(this.#percentileNs(99, sorted)),
      iputils: this.iputils() as IputilsRtt,
    };
  }

  /**
   * The figures iputils prints: integer microseconds, avg and mdev computed in iputils'
   * order (its "slightly clumsy computation order" avoids rounding errors for small
   * times, and matching it keeps our last digit equal to iputils'). Null before a sample.
   */
  iputils(): IputilsRtt | null {
    const total = this.#count;
    if (total === 0) return null;
    const avg = Math.trunc(this.#tsum / total);
    const variance = this.#tsum < 2147483647 ? (this.#tsum2 - (this.#tsum * this.#tsum) / total) / total : this.#tsum2 / total - avg * avg;
    return {
      minUs: this.#tmin,
      avgUs: avg,
      maxUs: this.#tmax,
      mdevUs: integerSqrt(Math.trunc(variance)),
      ewmaTimes8Us: this.#ewma8,
    };
  }
}

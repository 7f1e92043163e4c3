// The RTT figures of a summary, as the library reports them and as iputils prints them.

/** RTT figures in milliseconds. */
export interface RttSummary {
  /** Smallest RTT, ms. */
  min: number;
  /** Mean RTT, ms. */
  avg: number;
  /** Largest RTT, ms. */
  max: number;
  /** Population standard deviation, ms (iputils' "mdev"). */
  mdev: number;
  /** Mean absolute difference between consecutive RTTs, ms (0 with fewer than two). */
  jitter: number;
  /** Median, ms (exact up to 64 samples, then within 1% by a log histogram). */
  p50: number;
  /** 90th percentile, ms. */
  p90: number;
  /** 99th percentile, ms. */
  p99: number;
  /** The same samples in the integer microseconds iputils computes and prints (see IputilsRtt). */
  iputils: IputilsRtt;
}

/** The figures iputils prints, in integer microseconds. */
export interface IputilsRtt {
  minUs: number;
  avgUs: number;
  maxUs: number;
  mdevUs: number;
  /** iputils' smoothed RTT times 8 ("rtt" in its source), microseconds * 8. */
  ewmaTimes8Us: number;
}

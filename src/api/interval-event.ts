/** Round-trip times of a report, milliseconds. */
export interface IntervalRtt {
  min: number;
  avg: number;
  max: number;
}

/**
 * A target's figures over one reporting interval of pingEach (`reportEvery`), as fping -Q
 * prints them: since the previous report, or with `cumulative` since the target's first probe.
 * A probe counts once its outcome is known (a reply, a timeout, an ICMP error or a failed
 * send), so a probe still on its way is not reported as lost.
 */
export interface IntervalEvent {
  type: 'interval';
  /** The target as given. */
  target: string;
  /** The address pinged. */
  address: string;
  /** Position of the target in the input, from 0. */
  index: number;
  /** Which report of the run this is: 1 for the first (`reportEvery` ms after the start), 2 for the next... */
  report: number;
  /** True: the figures count from the target's first probe; false: from the previous report. */
  cumulative: boolean;
  /** Probes whose outcome came in the interval. */
  transmitted: number;
  /** Of those, the ones answered. */
  received: number;
  /** (transmitted - received) / transmitted, percent (0-100); 0 when nothing was transmitted. */
  loss: number;
  /** RTTs of the replies counted, ms; null without a reply. */
  rtt: IntervalRtt | null;
  /** Unanswered probes times the interval between probes, ms: how long the target was out (fping -o). */
  outageMs: number;
}

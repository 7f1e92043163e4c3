import type { RttSummary } from './rtt-summary.js';

/** A hop's round-trip figures, in milliseconds: ping's, without the integer microseconds iputils prints. */
export type TraceRtt = Omit<RttSummary, 'iputils'>;

/** A host that answered for a hop, and how often. */
export interface TraceHopAddress {
  /** Its address (canonical text). */
  address: string;
  /** Answers that came from it. */
  replies: number;
}

/** An ICMP error other than Time Exceeded that a hop answered with (the path ends there). */
export interface TraceHopError {
  /** traceroute's mark: `!N` network, `!H` host, `!P` protocol, `!X` prohibited, `!F` fragmentation needed, `!<code>` others. */
  mark: string;
  /** The wording ping prints for it, e.g. "Destination Host Unreachable". */
  reason: string;
  icmpType: number;
  icmpCode: number;
  /** The next-hop MTU of "fragmentation needed" / "packet too big", else null. */
  mtu: number | null;
  /** How many answers said so. */
  count: number;
}

/** One hop's figures, over the probes whose answer came or whose wait ended. */
export interface TraceHop {
  /** The hop: the TTL / hop limit of its probes (1 is the first router). */
  hop: number;
  /** The hosts that answered for it, in the order they first did (more than one when the path changed). */
  addresses: TraceHopAddress[];
  /**
   * Probes whose answer came or whose wait ended (mtr's Snt). A router gets no more probes
   * than Linux's default ICMP rate limit lets it answer (see trace-pacing.ts), so at intervals
   * under a second this is below the destination's count.
   */
  sent: number;
  /** Of those, answered: Time Exceeded, the destination's echo reply, or another ICMP error. */
  received: number;
  /**
   * Unanswered probes counted as loss on the path: the share of this hop's silence that every
   * hop after it (the destination last) shows too. See `limited` for the rest.
   */
  lost: number;
  /**
   * Unanswered probes that are this hop's own silence, not loss: the hops after it answered
   * more, so the path through this hop carried the probes (an ICMP rate limit, or a filter).
   */
  limited: number;
  /** Loss on the path at this hop, percent 0-100: `lost` / `sent`; 0 when nothing was sent. */
  loss: number;
  /** RTT of the latest answer, ms; null before one. */
  lastMs: number | null;
  /** RTT figures in ms (min is mtr's Best, max its Wrst, mdev its StDev, and jitter); null before an answer. */
  rtt: TraceRtt | null;
  /** ICMP errors other than Time Exceeded this hop answered with. */
  errors: TraceHopError[];
  /** The destination answered at this hop (its echo replies). */
  destination: boolean;
}

/** What one probe's answer was. */
export type TraceProbeStatus = 'time-exceeded' | 'reply' | 'error' | 'silent';

/** One probe's outcome: its answer, or the end of its wait. */
export interface TraceProbeEvent {
  type: 'hop';
  /** The round it belongs to, from 1. */
  round: number;
  /** Its hop (TTL / hop limit). */
  hop: number;
  /**
   * 'time-exceeded': a router on the path answered; 'reply': the destination did (its echo
   * reply); 'error': another ICMP error (see `mark`, `reason`); 'silent': no answer within the timeout.
   */
  status: TraceProbeStatus;
  /** Who answered; null when silent. */
  from: string | null;
  /** Round-trip time, ms, from the kernel's stamps; null when silent. */
  rttMs: number | null;
  /** For 'error': traceroute's mark (`!H`...), else null. */
  mark: string | null;
  /** For 'error' and 'time-exceeded': ping's wording of the ICMP message, else null. */
  reason: string | null;
  /** For 'error': the MTU of fragmentation needed / packet too big, else null. */
  mtu: number | null;
  /** For 'silent': a later hop answered in the same round, so this hop forwarded but did not answer (rate limit or filter). */
  laterReplied: boolean;
}

/** A round is over: every probe of it answered or timed out. Carries the table so far. */
export interface TraceRoundEvent {
  type: 'round';
  /** Its number, from 1. */
  round: number;
  /** Every hop up to the destination (or one past the last that answered), with its figures so far. */
  hops: TraceHop[];
  /** The destination has answered (in this round or before). */
  reached: boolean;
}

/** The final figures of a trace. */
export interface TraceSummary {
  /** The target as given. */
  target: string;
  /** The address traced (canonical text). */
  address: string;
  family: 4 | 6;
  /** Every hop up to the destination (or one past the last that answered), first hop first. */
  hops: TraceHop[];
  /** The destination answered. */
  reached: boolean;
  /** Rounds that ended (all their probes answered or timed out). */
  rounds: number;
  /** Milliseconds from the first probe to the end. */
  elapsedMs: number;
  /** 'count': every round was sent and settled; 'stopped': stop() or the caller ended it. */
  end: 'count' | 'stopped';
}

/** The trace ended. */
export interface TraceSummaryEvent {
  type: 'summary';
  summary: TraceSummary;
}

/** Everything a trace reports, one object per event. */
export type TraceEvent = TraceProbeEvent | TraceRoundEvent | TraceSummaryEvent;

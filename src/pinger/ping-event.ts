import type { IpOption } from '../packet/ip-options.js';
import type { RttSummary } from './rtt-summary.js';

/** The final figures for one target. */
export interface PingSummary {
  /** The target as given (name or address). */
  target: string;
  /** The address pinged (canonical text); empty when the name did not resolve. */
  address: string;
  /** 4 or 6; 0 when the name did not resolve. */
  family: 4 | 6 | 0;
  /** Echo requests sent (send errors included, as iputils counts them). */
  transmitted: number;
  /** Distinct echo replies received in time. */
  received: number;
  /** Extra copies of replies already received. */
  duplicates: number;
  /** Replies whose ICMP checksum failed. */
  corrupted: number;
  /** ICMP errors (unreachable, time exceeded...) about our probes, and local send errors. */
  errors: number;
  /** Replies that came after their probe's timeout; not counted as received. */
  late: number;
  /** Packet loss in percent, 0-100: (transmitted - received) / transmitted. 0 when nothing was sent. */
  loss: number;
  /** RTT figures in milliseconds, null when no reply came. Duplicates are included, as iputils does. */
  rtt: RttSummary | null;
  /** Wall time from the first send to the end of the run, in milliseconds. */
  elapsedMs: number;
  /** Milliseconds from the first probe sent to the last, failed sends included: ping's "time". */
  sendSpanMs: number;
  /** Why the target's run ended. */
  end: 'count' | 'deadline' | 'reachable' | 'stopped' | 'unresolved';
  /** Why the target could not be pinged (only with end 'unresolved'). */
  error?: string;
}

interface TargetRef {
  /** The target as given. */
  target: string;
  /** The address pinged (canonical text). */
  address: string;
}

/** A probe was sent. */
export interface SentEvent extends TargetRef {
  type: 'sent';
  /** 16-bit wire sequence number. */
  sequence: number;
}

/** A reply arrived for a probe not answered before (`reply`), or again (`duplicate`). */
export interface ReplyEvent extends TargetRef {
  type: 'reply' | 'duplicate';
  /** Where the reply came from. */
  from: string;
  sequence: number;
  /** Round-trip time in milliseconds, from kernel stamps. */
  rttMs: number;
  /** TTL or hop limit of the reply; -1 when unknown. */
  ttl: number;
  /** ICMP message length in bytes (header + data), as iputils counts "bytes from". */
  bytes: number;
  /** The reply was shorter than the request. */
  truncated: boolean;
  /** The IPv4 options of the reply's header (record route, timestamps), decoded; only when it had some (raw IPv4 sockets). */
  ipOptions?: IpOption[];
}

/** A reply whose ICMP checksum failed; not counted as received. */
export interface CorruptedEvent extends TargetRef {
  type: 'corrupted';
  from: string;
  sequence: number;
  rttMs: number;
  ttl: number;
  bytes: number;
}

/** A reply after its probe timed out, or for a sequence no longer remembered. */
export interface LateEvent extends TargetRef {
  type: 'late';
  from: string;
  sequence: number;
  /** RTT in ms when the probe is still remembered, else null. */
  rttMs: number | null;
}

/** No reply within the timeout. */
export interface TimeoutEvent extends TargetRef {
  type: 'timeout';
  sequence: number;
}

/** An ICMP error about one of our probes. */
export interface IcmpErrorEvent extends TargetRef {
  type: 'error';
  /**
   * True for redirect and source quench: reported, but neither counted in `errors` nor
   * settling the probe, whose reply may still come (as ping treats them).
   */
  advisory: boolean;
  /** The router or host that reported the error. */
  from: string;
  sequence: number;
  /** e.g. 'destination-unreachable', 'time-exceeded'. */
  kind: string;
  icmpType: number;
  icmpCode: number;
  /** iputils' wording, e.g. "Destination Host Unreachable". */
  reason: string;
  /** MTU for fragmentation needed / packet too big, else null. */
  mtu: number | null;
}

/** sendto failed for one probe; the run goes on. */
export interface SendErrorEvent extends TargetRef {
  type: 'send-error';
  sequence: number;
  /** errno name, e.g. 'EHOSTUNREACH', 'ENOBUFS', 'EPERM'. */
  code: string;
  /** What happened, in words ("blocked by a local firewall rule" for EPERM/EACCES). */
  message: string;
  /**
   * True when the probe did not leave for lack of buffer space (ENOBUFS, EAGAIN, ENOMEM) and
   * will be sent again; it counts for nothing yet. False: the failure is that probe's result.
   */
  retried: boolean;
}

/** A target's run ended. */
export interface SummaryEvent extends TargetRef {
  type: 'summary';
  summary: PingSummary;
}

/** Everything a pinger reports, one object per event. */
export type PingEvent = SentEvent | ReplyEvent | CorruptedEvent | LateEvent | TimeoutEvent | IcmpErrorEvent | SendErrorEvent | SummaryEvent;

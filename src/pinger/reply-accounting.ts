import { describeIcmpError } from '../wording/describe-icmp-error.js';
import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import type { IpOption } from '../packet/ip-options.js';
import type { PingEvent, ReplyEvent } from './ping-event.js';
import { type Probe, ProbeState } from './probe-table.js';
import type { SessionConfig } from './session-config.js';
import type { TargetState } from './target-state.js';

/** What an ICMP error says, from a decoded message or a datagram socket's error queue. */
export interface IcmpErrorReport {
  kind: string;
  type: number;
  code: number;
  /** The MTU (packet too big, fragmentation needed) or the pointer (parameter problem); else 0. */
  info: number;
  /** A redirect's new next hop. */
  gateway: string | null;
}

/** What an answer did to its target. */
export const enum Accounted {
  /** It quotes no probe of the target: not this session's. */
  NotOurs = 0,
  /** Counted (late, duplicate, corrupted, a repeated error) without settling a probe. */
  Noted = 1,
  /** Settled a probe otherwise than by a reply (an error, a reply past the timeout): the target may be complete. */
  Changed = 2,
  /** A reply answered an outstanding probe. */
  Answered = 3,
}

/** What a ReplyAccounting is made of. */
export interface ReplyAccountingOptions {
  config: Pick<SessionConfig, 'size' | 'timeoutMs'>;
  /** Hears the per-probe events. */
  emit: (event: PingEvent) => void;
  /** Emit per-probe events at all (false: only count). */
  detail: boolean;
}

/**
 * Counts what comes back for a session's probes (replies, their copies, ICMP errors,
 * timeouts) into their targets and reports each as an event. It neither schedules nor ends
 * targets: the session does that from the result.
 */
export class ReplyAccounting {
  readonly #config: Pick<SessionConfig, 'size' | 'timeoutMs'>;
  readonly #emit: (event: PingEvent) => void;
  // Per-probe events cost an object each; a caller that only wants summaries (a sweep of
  // thousands of targets) does not pay for them.
  readonly #detail: boolean;

  constructor(options: ReplyAccountingOptions) {
    this.#config = options.config;
    this.#emit = options.emit;
    this.#detail = options.detail;
  }

  /**
   * An echo reply from `from` for target `t`, cookie matched; `probe` is the record of its
   * sequence (undefined when there is none). `recvNs` is the kernel's receive stamp
   * (CLOCK_MONOTONIC ns), `wireBytes` the ICMP length as sent. Never Accounted.NotOurs.
   */
  echoReply(
    t: TargetState,
    probe: Probe | undefined,
    from: string,
    message: EchoMessage,
    ttl: number,
    recvNs: number,
    truncated: boolean,
    wireBytes: number,
    ipOptions: IpOption[] | null = null,
  ): Accounted {
    // Each event is written out whole (no spread of a shared part): one object of one shape
    // per reply, which a flood makes tens of thousands of times a second.
    const { target, address } = t;
    const sequence = message.sequence;
    if (probe === undefined || probe.state === ProbeState.TimedOut) {
      t.late++;
      if (this.#detail) this.#emit({ type: 'late', target, address, from, sequence, rttMs: probe === undefined ? null : (recvNs - probe.sentNs) / 1e6 });
      return Accounted.Noted;
    }
    const rttNs = Math.max(0, recvNs - probe.sentNs);
    const rttMs = rttNs / 1e6;
    const bytes = wireBytes;
    if (message.checksumOk === false) {
      t.corrupted++;
      if (this.#detail) this.#emit({ type: 'corrupted', target, address, from, sequence, rttMs, ttl, bytes });
      return Accounted.Noted;
    }
    const short = truncated || message.payload.length < this.#config.size;
    if (probe.state === ProbeState.Answered) {
      t.duplicates++;
      t.stats.add(rttNs);
      if (this.#detail) this.#emitReply({ type: 'duplicate', target, address, from, sequence, rttMs, ttl, bytes, truncated: short }, ipOptions);
      return Accounted.Noted;
    }
    if (rttNs > this.#config.timeoutMs * 1e6) {
      // Its timer was due before this reply was stamped; the event loop was late to say so.
      this.#timeOut(probe, t);
      t.late++;
      if (this.#detail) this.#emit({ type: 'late', target, address, from, sequence, rttMs });
      return Accounted.Changed;
    }
    if (probe.state === ProbeState.Outstanding) t.outstanding--;
    probe.state = ProbeState.Answered;
    t.received++;
    t.stats.add(rttNs);
    if (this.#detail) this.#emitReply({ type: 'reply', target, address, from, sequence, rttMs, ttl, bytes, truncated: short }, ipOptions);
    return Accounted.Answered;
  }

  /**
   * An ICMP error from `from` quoting a probe of target `t` (cookie matched); `probe` is the
   * record of the quoted sequence. Redirect and source quench advise; the probe may still be
   * answered. As ping, they are reported but neither counted as errors nor settle the probe.
   */
  icmpError(t: TargetState, probe: Probe | undefined, family: 4 | 6, from: string, quoted: QuotedProbe, facts: IcmpErrorReport): Accounted {
    if (probe === undefined) return Accounted.NotOurs;
    const advisory = facts.kind === 'redirect' || facts.kind === 'source-quench';
    if (probe.state !== ProbeState.Outstanding && !advisory) return Accounted.Noted;
    if (!advisory) {
      probe.state = ProbeState.Errored;
      t.outstanding--;
      t.errors++;
    }
    if (this.#detail)
      this.#emit({
        type: 'error',
        advisory,
        target: t.target,
        address: t.address,
        from,
        sequence: quoted.sequence,
        kind: facts.kind,
        icmpType: facts.type,
        icmpCode: facts.code,
        reason: describeIcmpError({ family, type: facts.type, code: facts.code, info: facts.info, gateway: facts.gateway }),
        mtu: facts.kind === 'packet-too-big' || (family === 4 && facts.type === 3 && facts.code === 4) ? facts.info : null,
      });
    return Accounted.Changed;
  }

  // Replies without IPv4 options (nearly all) keep one object shape; options are added only when present.
  #emitReply(event: ReplyEvent, ipOptions: IpOption[] | null): void {
    if (ipOptions !== null) event.ipOptions = ipOptions;
    this.#emit(event);
  }

  /** An outstanding probe of `t` went unanswered (its record is already marked timed out). */
  timedOut(t: TargetState, sequence: number): void {
    t.outstanding--;
    if (this.#detail) this.#emit({ type: 'timeout', target: t.target, address: t.address, sequence });
  }

  #timeOut(probe: Probe, t: TargetState): void {
    const outstanding = probe.state === ProbeState.Outstanding;
    probe.state = ProbeState.TimedOut;
    if (!outstanding) return; // an ICMP error already settled it
    this.timedOut(t, probe.sequence);
  }
}

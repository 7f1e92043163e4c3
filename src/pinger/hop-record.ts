import { RttStatistics } from './rtt-statistics.js';
import type { TraceHop, TraceHopError, TraceRtt } from './trace-event.js';

/** What answered a probe to a hop. */
export interface HopAnswer {
  /** Who answered. */
  from: string;
  /** Round-trip time, ns. */
  rttNs: number;
  /** 'time-exceeded': a router on the way; 'reply': the destination; 'error': another ICMP error, which ends the path here. */
  status: 'time-exceeded' | 'reply' | 'error';
  /** For 'error': what it said. */
  error?: Omit<TraceHopError, 'count'>;
}

/**
 * One hop's answers and silences over a trace: who answered (in the order they first did),
 * the RTT figures in constant memory, and the errors it gave. Counts only settled probes.
 */
export class HopRecord {
  readonly hop: number;
  /** Probes answered. */
  received = 0;
  /** Probes whose wait ended without an answer. */
  silent = 0;
  /** Whether the latest answer ended the path here ('final': the destination's reply, an error) or passed on ('transit'); null before one. */
  lastAnswer: 'transit' | 'final' | null = null;
  /** The destination answered here. */
  destination = false;
  #lastMs: number | null = null;
  readonly #rtt = new RttStatistics();
  readonly #addresses = new Map<string, number>();
  readonly #errors = new Map<string, TraceHopError>();

  constructor(hop: number) {
    this.hop = hop;
  }

  /** Probes settled: answered or given up. */
  get sent(): number {
    return this.received + this.silent;
  }

  /** A probe to this hop was answered. */
  answered(answer: HopAnswer): void {
    this.received++;
    this.#rtt.add(answer.rttNs);
    this.#lastMs = Math.max(0, answer.rttNs) / 1e6;
    this.#addresses.set(answer.from, (this.#addresses.get(answer.from) ?? 0) + 1);
    this.lastAnswer = answer.status === 'time-exceeded' ? 'transit' : 'final';
    if (answer.status === 'reply') this.destination = true;
    if (answer.error !== undefined) {
      const key = `${answer.error.icmpType}/${answer.error.icmpCode}/${answer.error.mtu ?? ''}`;
      const known = this.#errors.get(key);
      if (known !== undefined) known.count++;
      else this.#errors.set(key, { ...answer.error, count: 1 });
    }
  }

  /** A probe to this hop got no answer in time (or could not be sent). */
  timedOut(): void {
    this.silent++;
  }

  /** The public figures, with `lost` of the silent probes counted as loss on the path (see path-loss.ts). */
  view(lost: number): TraceHop {
    const sent = this.sent;
    const summary = this.#rtt.summary();
    let rtt: TraceRtt | null = null;
    if (summary !== null) {
      const { iputils: _iputils, ...figures } = summary;
      rtt = figures;
    }
    return {
      hop: this.hop,
      addresses: [...this.#addresses].map(([address, replies]) => ({ address, replies })),
      sent,
      received: this.received,
      lost,
      limited: this.silent - lost,
      loss: sent === 0 ? 0 : (100 * lost) / sent,
      lastMs: this.#lastMs,
      rtt,
      errors: [...this.#errors.values()].map((e) => ({ ...e })),
      destination: this.destination,
    };
  }
}

import { SocketError } from '../errors.js';
import { EchoRequestTemplate } from '../packet/echo-request.js';
import type { ProbeTable } from './probe-table.js';
import type { SessionConfig } from './session-config.js';
import type { BatchSendResult } from '../os/socket-like.js';
import type { SessionTransport } from './session-transport.js';
import type { TargetState } from './target-state.js';

/** What the send path reports of each target it was given; the session counts and schedules. */
export interface SendOutcomes {
  /**
   * Probe `sequence` of `t` left; `sentNs` is the addon's send stamp (CLOCK_MONOTONIC ns), `nowMs`
   * the clock. `handedOver`: it went from the socket's thread, and is in the pacer's count already.
   */
  sent(t: TargetState, sequence: number, sentNs: number, nowMs: number, handedOver?: boolean): void;
  /** Sending probe `sequence` of `t` failed with `error`. */
  failed(t: TargetState, sequence: number, error: SocketError, nowMs: number): void;
  /** `t` sent nothing this time and is due again at `dueMs` (clock ms). */
  deferred(t: TargetState, dueMs: number): void;
  /** `n` probes went to the socket's thread to send: they take room in flight from now on. */
  handedOver(n: number): void;
  /** The report of probes handed over came: the clock now, to count them by, or null when the session has ended (then none is counted). */
  reported(): number | null;
  /** The outcomes of a report of `n` probes were told, `counted` of them as sent (the others leave the room in flight). */
  afterReport(n: number, counted: number): void;
}

/** What a ProbeSender is made of. */
export interface ProbeSenderOptions {
  transport: SessionTransport;
  /** The session's probes in flight: a sequence still awaiting its answer is not reused. */
  probes: ProbeTable;
  /** Hears what became of each probe. */
  outcomes: SendOutcomes;
  config: Pick<SessionConfig, 'size' | 'pattern' | 'timeoutMs'>;
  /** The session's payload cookie. */
  cookie: Uint8Array;
  /** The most probes sendAll() is given at once (the batch buffer is sized for it). */
  maxBatch: number;
  /** True for a sequence that must not be drawn though no probe of the table holds it (default: none). */
  isReserved?: (sequence: number) => boolean;
  /**
   * Large batches may go from the socket's thread (default false). Not for a session whose
   * replies prompt probes (flood, adaptive: a reply could schedule a target whose probe the
   * thread holds), nor one that draws sequences shared with others (cookieless: its
   * sequences are claimed when a probe is counted as sent).
   */
  threadBatches?: boolean;
}

const FAMILIES = [4, 6] as const;

/**
 * Probes per batch given to the socket's thread, each part with its own stamp (sendmmsg's
 * chunk). Smaller batches go from this thread: a few probes gain little from another thread,
 * and a steady pace of small bursts (the exporter's chunks of 32) would pay the hand-over,
 * two wake-ups across threads, on every burst.
 */
const THREAD_BATCH = 64;
const THREAD_BATCH_MIN = THREAD_BATCH;

/**
 * The send path of a session: one echo request template per family (only the sequence and
 * checksum change per probe), a free sequence per probe, and one system call per probe or one
 * sendmmsg for many targets.
 */
export class ProbeSender {
  readonly #transport: SessionTransport;
  readonly #probes: ProbeTable;
  readonly #outcomes: SendOutcomes;
  readonly #config: Pick<SessionConfig, 'size' | 'pattern' | 'timeoutMs'>;
  readonly #cookie: Uint8Array;
  readonly #maxBatch: number;
  readonly #isReserved: (sequence: number) => boolean;
  readonly #threadBatches: boolean;
  readonly #templates = new Map<4 | 6, EchoRequestTemplate>();
  #batchBuffer = new Uint8Array(0);
  #aheadBuffer = new Uint8Array(0);

  constructor(options: ProbeSenderOptions) {
    this.#transport = options.transport;
    this.#probes = options.probes;
    this.#outcomes = options.outcomes;
    this.#config = options.config;
    this.#cookie = options.cookie;
    this.#maxBatch = options.maxBatch;
    this.#isReserved = options.isReserved ?? (() => false);
    this.#threadBatches = options.threadBatches === true;
  }

  /** Builds the echo request of each family, with the identifier of the transport's socket (which may open it). */
  prepare(families: Iterable<4 | 6>): void {
    for (const family of families) {
      this.#templates.set(
        family,
        new EchoRequestTemplate({
          family,
          identifier: this.#transport.identifier(family),
          size: this.#config.size,
          cookie: this.#cookie,
          ...(this.#config.pattern !== null ? { pattern: this.#config.pattern } : {}),
        }),
      );
    }
  }

  /** Sends the next probe of each target of `due`: in batches per family when the socket can, else one by one. */
  sendAll(due: readonly TargetState[], nowMs: number): void {
    if (due.length > 1 && this.#transport.sendBatch !== undefined) {
      for (const family of FAMILIES) {
        const group = due.filter((t) => t.family === family);
        if (group.length > 1 && this.#sendBatch(family, group, nowMs)) continue;
        for (const t of group) this.#send(t, nowMs);
      }
      return;
    }
    for (const t of due) this.#send(t, nowMs);
  }

  /**
   * Writes the next `count` probes of `t` (free sequences from `from` on) end to end,
   * for the socket to send later (queueSends): their sequences in order, and the bytes, valid
   * until the next call. Nothing is counted as sent: the session commits each as the socket
   * reports it. Fewer than `count` when sequences run out.
   */
  encodeAhead(t: TargetState, count: number, from: number): { sequences: number[]; packets: Uint8Array; packetLength: number } {
    const template = this.#templates.get(t.family) as EchoRequestTemplate;
    const length = template.bytes.length;
    if (this.#aheadBuffer.length < count * length) this.#aheadBuffer = new Uint8Array(count * length);
    const sequences: number[] = [];
    let seq = from & 0xffff;
    for (let tries = 0; sequences.length < count && tries < 65536; tries++, seq = (seq + 1) & 0xffff) {
      if (this.#probes.isBusy(t.index, seq)) continue;
      template.withSequence(seq);
      this.#aheadBuffer.set(template.bytes, sequences.length * length);
      sequences.push(seq);
    }
    return { sequences, packets: this.#aheadBuffer, packetLength: length };
  }

  /**
   * The next wire sequence of `t` not awaiting an answer (and, for probes without a cookie,
   * held by no other session), or -1 when all 65536 are taken.
   */
  #allocateSequence(t: TargetState): number {
    const shared = this.#transport.sequences;
    let seq = t.nextSequence & 0xffff;
    for (let tries = 0; tries < 65536; tries++) {
      if (!this.#probes.isBusy(t.index, seq) && (shared === undefined || shared.isFree(seq)) && !this.#isReserved(seq)) return seq;
      seq = (seq + 1) & 0xffff;
    }
    return -1;
  }

  /** The next free sequence of `t` with its packet written, or -1 (and `t` deferred). */
  #prepareProbe(t: TargetState, nowMs: number): number {
    const seq = this.#allocateSequence(t);
    if (seq < 0) {
      // Every sequence number is in flight: a reused one could be taken for another probe's
      // answer, so this probe waits until the oldest one expires.
      this.#outcomes.deferred(t, this.#probes.nextExpiryMs() ?? nowMs + this.#config.timeoutMs);
      return -1;
    }
    (this.#templates.get(t.family) as EchoRequestTemplate).withSequence(seq);
    return seq;
  }

  #send(t: TargetState, nowMs: number): void {
    const seq = this.#prepareProbe(t, nowMs);
    if (seq < 0) return;
    let sentNs: number;
    try {
      sentNs = this.#transport.send(t.family, (this.#templates.get(t.family) as EchoRequestTemplate).bytes, t.address, t.scopeId);
    } catch (error) {
      if (!(error instanceof SocketError)) throw error;
      this.#outcomes.failed(t, seq, error, nowMs);
      return;
    }
    this.#outcomes.sent(t, seq, sentNs, nowMs);
  }

  // One sendmmsg for many targets (a sweep): the packets are copied end to end, sent, and
  // each sent one reported; the probe that failed gets its error, those after it go again.
  // False when the socket cannot send batches.
  #sendBatch(family: 4 | 6, group: TargetState[], nowMs: number): boolean {
    const template = this.#templates.get(family) as EchoRequestTemplate;
    const length = template.bytes.length;
    if (this.#batchBuffer.length < group.length * length) this.#batchBuffer = new Uint8Array(this.#maxBatch * length);
    const ready: ReadyProbe[] = [];
    for (const t of group) {
      const seq = this.#prepareProbe(t, nowMs);
      if (seq < 0) continue;
      this.#batchBuffer.set(template.bytes, ready.length * length);
      ready.push({ t, seq });
    }
    const handed = this.#threadBatches && ready.length >= THREAD_BATCH_MIN ? this.#sendOnThread(family, ready, length) : 0;
    if (handed < ready.length) this.#sendHere(family, ready.slice(handed), handed * length, length, nowMs);
    return true;
  }

  // The probes of `ready`, whose packets start at `offset` in the batch buffer, with one
  // sendmmsg from this thread.
  #sendHere(family: 4 | 6, ready: readonly ReadyProbe[], offset: number, length: number, nowMs: number): void {
    const result = this.#transport.sendBatch?.(
      family,
      this.#batchBuffer.subarray(offset),
      length,
      ready.map((r) => r.t.address),
      ready.map((r) => r.t.scopeId),
    );
    if (result === null || result === undefined) {
      // Not possible on this socket after all: these targets go one by one.
      for (const { t } of ready) this.#send(t, nowMs);
      return;
    }
    this.#tell(ready, result, nowMs);
  }

  // What became of each probe of a batch; a target ended meanwhile (a deadline or a stop while
  // the socket's thread had its probe) is not counted again. Returns how many were counted as sent.
  #tell(ready: readonly ReadyProbe[], result: BatchSendResult, nowMs: number, handedOver = false): number {
    let counted = 0;
    ready.forEach(({ t, seq }, i) => {
      if (t.done) return;
      if (i < result.sent) {
        this.#outcomes.sent(t, seq, result.stampNs, nowMs, handedOver);
        counted++;
      } else if (i === result.sent && result.error instanceof SocketError) this.#outcomes.failed(t, seq, result.error, nowMs);
      else this.#outcomes.deferred(t, nowMs);
    });
    return counted;
  }

  // The batch goes to the socket's thread, THREAD_BATCH at a time (the packets are copied at
  // once); each part is told when its report comes. Its targets are off the schedule until
  // then, and their room in flight is taken now. Returns how many went to the thread: the
  // first part the socket refuses, and those after it, go from here.
  #sendOnThread(family: 4 | 6, ready: readonly ReadyProbe[], length: number): number {
    let from = 0;
    for (; from < ready.length; from += THREAD_BATCH) {
      const part = ready.slice(from, from + THREAD_BATCH);
      const packets = this.#batchBuffer.subarray(from * length, (from + part.length) * length);
      // Its report comes on a later turn of the event loop, never inside this call.
      const handed = this.#transport.sendBatchOnThread?.(
        family,
        packets,
        length,
        part.map((r) => r.t.address),
        part.map((r) => r.t.scopeId),
        (result) => this.#reported(part, result),
      );
      if (handed !== true) break;
      this.#outcomes.handedOver(part.length);
    }
    return Math.min(from, ready.length);
  }

  #reported(part: readonly ReadyProbe[], result: BatchSendResult): void {
    const now = this.#outcomes.reported();
    const counted = now === null ? 0 : this.#tell(part, result, now, true);
    this.#outcomes.afterReport(part.length, counted);
  }
}

interface ReadyProbe {
  t: TargetState;
  seq: number;
}

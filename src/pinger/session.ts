import { SocketError } from '../errors.js';
import { describeIcmpError } from '../wording/describe-icmp-error.js';
import { COOKIE_BYTES, EchoRequestTemplate } from '../packet/echo-request.js';
import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import type { BatchSendResult } from '../os/socket-like.js';
import type { Clock, TimerHandle } from './clock.js';
import { completeEnd, isComplete, wantsMoreProbes } from './completion.js';
import { DueHeap } from './due-heap.js';
import { busyBackoffMs, lingerMs, nextDueMs, probeLifetimeMs, promptedDueMs, replyPromptsProbe } from './pacing.js';
import type { PingEvent, PingSummary } from './ping-event.js';
import { type Probe, ProbeState, ProbeTable } from './probe-table.js';
import { nextRateSlotMs, rateAllows, rateWakeMs } from './rate-gate.js';
import { isBusySendError, sendFailureMessage } from './send-failure.js';
import type { SessionConfig } from './session-config.js';
import { type ResolvedTarget, TargetState } from './target-state.js';

// The session's settings are read where the session is made (options/, the test harness).
export type { SessionConfig } from './session-config.js';

/** What an ICMP error says, from a decoded message or a datagram socket's error queue. */
export interface IcmpErrorFacts {
  kind: string;
  type: number;
  code: number;
  /** The MTU (packet too big, fragmentation needed) or the pointer (parameter problem); else 0. */
  info: number;
  /** A redirect's new next hop. */
  gateway: string | null;
}

/** What a session needs from the engine: identifiers and a way to send. */
export interface SessionTransport {
  /** Echo identifier on the socket of this family. */
  identifier(family: 4 | 6): number;
  /** Sends; returns the send stamp (CLOCK_MONOTONIC ns). Throws SocketError. */
  send(family: 4 | 6, bytes: Uint8Array, address: string, scopeId: number): number;
  /**
   * Optional: sends packets of one length laid end to end, in as few system calls as it can;
   * null when the socket cannot (then the session sends one by one). See SocketLike.sendBatch.
   */
  sendBatch?(family: 4 | 6, packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): BatchSendResult | null;
}

// Send at most this many probes per turn of the event loop, so replies are read while a
// large sweep goes out and the socket's receive queue never overflows.
const MAX_SENDS_PER_TURN = 128;

/**
 * One run of probes over one or more targets: the sequence and timing loop. A single timer
 * drives it (never one per probe); sends follow a drift-free schedule per target; the probe
 * table matches answers and expires probes in send order.
 */
export class Session {
  readonly cookie: Uint8Array;
  readonly config: SessionConfig;
  // Targets are created when their first probe is due, from #pending, and a finished one's
  // slot is emptied when the session does not retain them (sweeps): only targets in flight
  // take memory, whatever the length of the list.
  readonly #targets: (TargetState | undefined)[];
  readonly #pending: (ResolvedTarget | undefined)[];
  #nextPending = 0;
  readonly #retain: boolean;
  // Per family, keyed by address text: a reply's source finds its target without building a key.
  readonly #byAddress: Readonly<Record<4 | 6, Map<string, TargetState>>> = { 4: new Map(), 6: new Map() };
  readonly #transport: SessionTransport;
  readonly #clock: Clock;
  readonly #emit: (event: PingEvent) => void;
  // Per-probe events cost an object each; a caller that only wants summaries (a sweep of
  // thousands of targets) does not pay for them.
  readonly #detail: boolean;
  readonly #onEnd: (summaries: PingSummary[]) => void;
  readonly #heap = new DueHeap<TargetState>();
  readonly #probes = new ProbeTable();
  readonly #templates = new Map<4 | 6, EchoRequestTemplate>();
  #batchBuffer = new Uint8Array(0);
  // At most one timer and one immediate are pending. A timer that would fire earlier than
  // needed is left alone (the wake-up re-arms), so most sends and replies cost no timer call.
  #timer: TimerHandle | null = null;
  #timerAtMs = Infinity;
  #immediate: TimerHandle | null = null;
  #startMs = 0;
  #nextSendAllowedMs = 0;
  #remaining: number;
  #started = false;
  #ended = false;
  #inTick = false;

  constructor(
    targets: ResolvedTarget[],
    config: SessionConfig,
    cookie: Uint8Array,
    transport: SessionTransport,
    clock: Clock,
    emit: (event: PingEvent) => void,
    onEnd: (summaries: PingSummary[]) => void,
    detail = true,
    retain = true,
  ) {
    this.#detail = detail;
    this.#retain = retain;
    this.config = config;
    this.cookie = cookie;
    this.#transport = transport;
    this.#clock = clock;
    this.#emit = emit;
    this.#onEnd = onEnd;
    this.#pending = targets.slice();
    this.#targets = new Array<TargetState | undefined>(targets.length);
    this.#families = new Set(targets.map((t) => t.family));
    this.#remaining = targets.length;
  }

  // Broadcast and multicast targets (allowed explicitly) are answered by other addresses: a
  // reply from an address that is no target counts for such a target with that probe out.
  readonly #anySource: TargetState[] = [];

  #anySourceTarget(family: 4 | 6, sequence: number): TargetState | undefined {
    for (const t of this.#anySource) if (t.family === family && this.#probes.get(t.index, sequence) !== undefined) return t;
    return undefined;
  }

  /** Creates the next target from the list; its first probe is due at the start. */
  #createNext(): TargetState {
    const index = this.#nextPending++;
    const t = new TargetState(index, this.#pending[index] as ResolvedTarget);
    this.#pending[index] = undefined;
    t.dueMs = this.#startMs;
    this.#targets[index] = t;
    this.#byAddress[t.family].set(t.address, t);
    if (t.anySource) this.#anySource.push(t);
    return t;
  }

  /**
   * The next target whose probe is due by `now`: from the heap, or a target not created yet
   * (all of those are due at the start; order as given breaks ties). Null when none is due.
   */
  #nextDue(now: number): TargetState | null {
    const top = this.#heap.peek();
    const fresh = this.#nextPending < this.#pending.length;
    if (fresh && (top === undefined || this.#startMs < top.dueMs || (this.#startMs === top.dueMs && this.#nextPending < top.order))) {
      return this.#createNext();
    }
    if (top !== undefined && top.dueMs <= now) {
      this.#heap.pop();
      return top;
    }
    return null;
  }

  /** Every target, created if it was not yet (a run that ends early still reports them all). */
  #all(): TargetState[] {
    while (this.#nextPending < this.#pending.length) this.#createNext();
    return this.#targets.filter((t): t is TargetState => t !== undefined);
  }

  /** True once every target has finished. */
  get ended(): boolean {
    return this.#ended;
  }

  readonly #families: Set<4 | 6>;

  /** Families the targets use. */
  families(): Set<4 | 6> {
    return this.#families;
  }

  /** Starts sending: every target is due now. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startMs = this.#clock.now();
    this.#nextSendAllowedMs = this.#startMs;
    for (const family of this.families()) {
      this.#templates.set(
        family,
        new EchoRequestTemplate({
          family,
          identifier: this.#transport.identifier(family),
          size: this.config.size,
          cookie: this.cookie,
          ...(this.config.pattern !== null ? { pattern: this.config.pattern } : {}),
        }),
      );
    }
    if (this.#pending.length === 0) this.#endSession();
    else this.#tick('direct');
  }

  /** Ends every target now ('stopped'); each gets its summary. */
  stop(): void {
    if (this.#ended) return;
    for (const t of this.#all()) if (!t.done) this.#finish(t, 'stopped');
  }

  /** Summaries as of now, for every target still held (all of them unless the session drops finished ones). */
  snapshot(): PingSummary[] {
    const now = this.#clock.now();
    return this.#all().map((t) => t.summary(now));
  }

  /** True when `payload` starts with this session's cookie (as much of it as the payload holds). */
  matchesCookie(payload: Uint8Array): boolean {
    const n = Math.min(payload.length, COOKIE_BYTES, this.config.size);
    for (let i = 0; i < n; i++) if (payload[i] !== this.cookie[i]) return false;
    return true;
  }

  /**
   * An echo reply whose cookie matched. Returns false when it is not for one of this
   * session's targets (a right identifier and sequence from the wrong source counts nothing).
   */
  onEchoReply(
    family: 4 | 6,
    from: string,
    message: EchoMessage,
    ttl: number,
    recvNs: number,
    truncated: boolean,
    wireBytes = message.length,
  ): boolean {
    const t = this.#byAddress[family].get(from) ?? this.#anySourceTarget(family, message.sequence);
    if (t === undefined || t.done || !this.matchesCookie(message.payload)) return false;
    const probe = this.#probes.get(t.index, message.sequence);
    // Each event is written out whole (no spread of a shared part): one object of one shape
    // per reply, which a flood makes tens of thousands of times a second.
    const { target, address } = t;
    const sequence = message.sequence;
    if (probe === undefined || probe.state === ProbeState.TimedOut) {
      t.late++;
      if (this.#detail) this.#emit({ type: 'late', target, address, from, sequence, rttMs: probe === undefined ? null : (recvNs - probe.sentNs) / 1e6 });
      return true;
    }
    const rttNs = Math.max(0, recvNs - probe.sentNs);
    const rttMs = rttNs / 1e6;
    const bytes = wireBytes;
    if (message.checksumOk === false) {
      t.corrupted++;
      if (this.#detail) this.#emit({ type: 'corrupted', target, address, from, sequence, rttMs, ttl, bytes });
      return true;
    }
    const short = truncated || message.payload.length < this.config.size;
    if (probe.state === ProbeState.Answered) {
      t.duplicates++;
      t.stats.add(rttNs);
      if (this.#detail) this.#emit({ type: 'duplicate', target, address, from, sequence, rttMs, ttl, bytes, truncated: short });
      return true;
    }
    if (rttNs > this.config.timeoutMs * 1e6) {
      // Its timer was due before this reply was stamped; the event loop was late to say so.
      this.#timeOut(probe, t);
      t.late++;
      if (this.#detail) this.#emit({ type: 'late', target, address, from, sequence, rttMs });
      this.#afterChange(t);
      return true;
    }
    if (probe.state === ProbeState.Outstanding) t.outstanding--;
    probe.state = ProbeState.Answered;
    t.received++;
    t.stats.add(rttNs);
    if (this.#detail) this.#emit({ type: 'reply', target, address, from, sequence, rttMs, ttl, bytes, truncated: short });
    let sendNow = false;
    if (replyPromptsProbe(this.config, t)) {
      // Flood and adaptive pacing: the answer is the signal to send the next probe, at once
      // (or as soon as the smallest gap allows).
      const now = this.#clock.now();
      t.dueMs = promptedDueMs(this.config, t, now);
      sendNow = t.dueMs <= now;
      if (!t.done) this.#heap.update(t);
    }
    this.#afterChange(t);
    if (sendNow && !this.#ended && !this.#inTick) this.#tick('direct');
    return true;
  }

  /** An ICMP error quoting a probe; `from` is the host that sent the error. False when not ours. */
  onIcmpError(
    family: 4 | 6,
    from: string,
    quoted: QuotedProbe,
    facts: IcmpErrorFacts,
  ): boolean {
    const t = this.#byAddress[family].get(quoted.destination);
    if (t === undefined || t.done || !this.matchesCookie(quoted.payload)) return false;
    const probe = this.#probes.get(t.index, quoted.sequence);
    // Redirect and source quench advise; the probe may still be answered. As ping, they are
    // reported but neither counted as errors nor settle the probe.
    const advisory = facts.kind === 'redirect' || facts.kind === 'source-quench';
    if (probe === undefined || (probe.state !== ProbeState.Outstanding && !advisory)) return probe !== undefined;
    if (!advisory) {
      probe.state = ProbeState.Errored;
      t.outstanding--;
      t.errors++;
    }
    if (this.#detail) this.#emit({
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
    this.#afterChange(t);
    return true;
  }

  // ---- the loop ---------------------------------------------------------------------------

  #tick(source: 'timer' | 'immediate' | 'direct'): void {
    if (source === 'timer') {
      this.#timer = null;
      this.#timerAtMs = Infinity;
    } else if (source === 'immediate') {
      this.#immediate = null;
    }
    if (this.#ended || this.#inTick) return;
    this.#inTick = true;
    try {
      const now = this.#clock.now();
      if (this.config.deadlineMs !== null && now >= this.#startMs + this.config.deadlineMs) {
        for (const t of this.#all()) if (!t.done) this.#finish(t, 'deadline');
        return;
      }
      this.#probes.expire(now, (probe) => {
        const t = this.#targets[probe.targetIndex];
        if (t !== undefined && !t.done) {
          this.#countTimeout(t, probe.sequence);
          this.#afterChange(t);
        }
      });
      // Rounds until nothing more is due now: a target whose -l preload is not all out yet is
      // due again at once, and its probes go back to back as ping sends them.
      let sent = 0;
      for (;;) {
        const due = this.#collectDue(now, MAX_SENDS_PER_TURN - sent);
        if (due.length === 0) break;
        this.#sendAll(due, now);
        sent += due.length;
      }
    } finally {
      this.#inTick = false;
    }
    if (!this.#ended) this.#arm(this.#nextWakeMs());
  }

  /** Takes up to `limit` targets due at `now` off the schedule (finishing lingering ones on the way). */
  #collectDue(now: number, limit: number): TargetState[] {
    const due: TargetState[] = [];
    for (;;) {
      const top = this.#heap.peek();
      if (top !== undefined && top.lingering && top.dueMs <= now) {
        this.#heap.pop();
        this.#finish(top, 'count');
        continue;
      }
      if (!rateAllows(this.config.ratePps, this.#nextSendAllowedMs, now)) break;
      if (due.length >= limit) break; // the rest go after the event loop has read replies
      const t = this.#nextDue(now);
      if (t === null) break;
      if (t.lingering) {
        this.#finish(t, 'count');
        continue;
      }
      this.#nextSendAllowedMs = nextRateSlotMs(this.config.ratePps, this.#nextSendAllowedMs, now);
      due.push(t);
    }
    return due;
  }

  #nextWakeMs(): number {
    let wake = Infinity;
    const top = this.#heap.peek();
    if (top !== undefined) wake = top.lingering ? top.dueMs : rateWakeMs(this.config.ratePps, this.#nextSendAllowedMs, top.dueMs);
    if (this.#nextPending < this.#pending.length) wake = Math.min(wake, rateWakeMs(this.config.ratePps, this.#nextSendAllowedMs, this.#startMs));
    const expiry = this.#probes.nextExpiryMs();
    if (expiry !== null) wake = Math.min(wake, expiry);
    if (this.config.deadlineMs !== null) wake = Math.min(wake, this.#startMs + this.config.deadlineMs);
    return wake;
  }

  /** Makes sure the loop wakes at `atMs` (or earlier). */
  #arm(atMs: number): void {
    if (!Number.isFinite(atMs)) return;
    const delay = atMs - this.#clock.now();
    if (delay <= 0) {
      this.#immediate ??= this.#clock.setTimer(() => this.#tick('immediate'), 0);
      return;
    }
    if (this.#timer !== null) {
      if (this.#timerAtMs <= atMs) return;
      this.#clock.clearTimer(this.#timer);
    }
    this.#timerAtMs = atMs;
    this.#timer = this.#clock.setTimer(() => this.#tick('timer'), delay);
  }

  /** After any change to a target: finish it if it is complete, and make sure the loop wakes. */
  #afterChange(t: TargetState): void {
    if (!t.done && isComplete(this.config, t)) this.#finish(t, completeEnd(this.config, t));
    if (!this.#ended && !this.#inTick) this.#arm(this.#nextWakeMs());
  }

  /** The next wire sequence not awaiting an answer, or -1 when all 65536 are. */
  #allocateSequence(t: TargetState): number {
    let seq = t.nextSequence & 0xffff;
    for (let tries = 0; tries < 65536; tries++) {
      if (!this.#probes.isBusy(t.index, seq)) return seq;
      seq = (seq + 1) & 0xffff;
    }
    return -1;
  }

  /** Sends the probes of `due`: in batches per family when the socket can, else one by one. */
  #sendAll(due: TargetState[], now: number): void {
    if (due.length > 1 && this.#transport.sendBatch !== undefined) {
      for (const family of [4, 6] as const) {
        const group = due.filter((t) => t.family === family);
        if (group.length > 1 && this.#sendBatch(family, group, now)) continue;
        for (const t of group) this.#send(t, now);
      }
      return;
    }
    for (const t of due) this.#send(t, now);
  }

  /** The next free sequence of `t` with its packet written, or -1 (and `t` rescheduled). */
  #prepare(t: TargetState, now: number): number {
    const seq = this.#allocateSequence(t);
    if (seq < 0) {
      // Every sequence number is in flight: a reused one could be taken for another probe's
      // answer, so this probe waits until the oldest one expires.
      t.dueMs = this.#probes.nextExpiryMs() ?? now + this.config.timeoutMs;
      this.#heap.push(t);
      return -1;
    }
    (this.#templates.get(t.family) as EchoRequestTemplate).withSequence(seq);
    return seq;
  }

  #send(t: TargetState, now: number): void {
    const seq = this.#prepare(t, now);
    if (seq < 0) return;
    let sentNs: number;
    try {
      sentNs = this.#transport.send(t.family, (this.#templates.get(t.family) as EchoRequestTemplate).bytes, t.address, t.scopeId);
    } catch (error) {
      if (!(error instanceof SocketError)) throw error;
      this.#sendFailed(t, seq, error, now);
      return;
    }
    this.#commit(t, seq, sentNs, now);
  }

  // One sendmmsg for many targets (a sweep): the packets are copied end to end, sent, and
  // each sent one committed; the probe that failed gets its error, those after it go again.
  // False when the socket cannot send batches.
  #sendBatch(family: 4 | 6, group: TargetState[], now: number): boolean {
    const template = this.#templates.get(family) as EchoRequestTemplate;
    const length = template.bytes.length;
    if (this.#batchBuffer.length < group.length * length) this.#batchBuffer = new Uint8Array(MAX_SENDS_PER_TURN * length);
    const ready: { t: TargetState; seq: number }[] = [];
    for (const t of group) {
      const seq = this.#prepare(t, now);
      if (seq < 0) continue;
      this.#batchBuffer.set(template.bytes, ready.length * length);
      ready.push({ t, seq });
    }
    const result = this.#transport.sendBatch?.(
      family,
      this.#batchBuffer,
      length,
      ready.map((r) => r.t.address),
      ready.map((r) => r.t.scopeId),
    );
    if (result === null || result === undefined) {
      // Not possible on this socket after all: these targets go one by one.
      for (const { t } of ready) this.#send(t, now);
      return true;
    }
    ready.forEach(({ t, seq }, i) => {
      if (i < result.sent) this.#commit(t, seq, result.stampNs, now);
      else if (i === result.sent && result.error instanceof SocketError) this.#sendFailed(t, seq, result.error, now);
      else {
        t.dueMs = now;
        this.#heap.push(t);
      }
    });
    return true;
  }

  /** A probe left: count it, remember it for its answer, schedule the next one. */
  #commit(t: TargetState, seq: number, sentNs: number, now: number): void {
    t.busyFailures = 0;
    this.#countSend(t, seq, now);
    t.outstanding++;
    this.#probes.add(t.index, seq, sentNs, now + probeLifetimeMs(this.config));
    if (this.#detail) this.#emit({ type: 'sent', target: t.target, address: t.address, sequence: seq });
    this.#scheduleNext(t, now);
  }

  #sendFailed(t: TargetState, seq: number, error: SocketError, now: number): void {
    const retried = isBusySendError(error);
    if (this.#detail) this.#emit({
      type: 'send-error',
      target: t.target,
      address: t.address,
      sequence: seq,
      code: error.errnoCode,
      message: sendFailureMessage(error),
      retried,
    });
    if (retried) {
      // The probe did not leave: try the same one again later, backing off while it lasts.
      t.busyFailures++;
      t.dueMs = now + busyBackoffMs(t.busyFailures);
      this.#heap.push(t);
      return;
    }
    // Any other failure is this probe's result (as ping: "pretend we sent"); the run goes on.
    this.#countSend(t, seq, now);
    t.errors++;
    this.#scheduleNext(t, now);
    if (!t.done && isComplete(this.config, t)) this.#finish(t, 'count');
  }

  /** Probe `seq` counts as sent at `now`, whether it left or failed for good. */
  #countSend(t: TargetState, seq: number, now: number): void {
    t.nextSequence = seq + 1;
    t.transmitted++;
    if (t.firstSendMs < 0) t.firstSendMs = now;
    t.lastSendMs = now;
  }

  #scheduleNext(t: TargetState, now: number): void {
    if (t.done) return;
    if (!wantsMoreProbes(this.config, t)) {
      // All probes are out: wait for the last answers. Without a linger entry the wait is the
      // full timeout, which is when the last probe expires and ends the target by itself: no
      // heap entry needed (a sweep has tens of thousands of targets in that state).
      const waitMs = lingerMs(this.config, t);
      if (waitMs !== null) {
        t.lingering = true;
        t.dueMs = now + waitMs;
        this.#heap.push(t);
      }
      return;
    }
    t.dueMs = nextDueMs(this.config, t, now);
    this.#heap.push(t);
  }

  #timeOut(probe: Probe, t: TargetState): void {
    const outstanding = probe.state === ProbeState.Outstanding;
    probe.state = ProbeState.TimedOut;
    if (!outstanding) return; // an ICMP error already settled it
    this.#countTimeout(t, probe.sequence);
  }

  /** An outstanding probe went unanswered (its record is already marked timed out). */
  #countTimeout(t: TargetState, sequence: number): void {
    t.outstanding--;
    if (this.#detail) this.#emit({ type: 'timeout', target: t.target, address: t.address, sequence });
  }

  #finish(t: TargetState, end: PingSummary['end']): void {
    if (t.done) return;
    t.done = true;
    t.end = end;
    this.#heap.remove(t);
    const summary = t.summary(this.#clock.now());
    if (!this.#retain) {
      this.#targets[t.index] = undefined;
      this.#byAddress[t.family].delete(t.address);
      // Nothing can be counted for a finished target: its probe records would only sit in
      // the table until they expire. A sweep's targets send one or a few probes each.
      if (t.transmitted <= 64) {
        for (let seq = t.nextSequence - t.transmitted; seq < t.nextSequence; seq++) this.#probes.delete(t.index, seq & 0xffff);
      }
    }
    this.#emit({ type: 'summary', target: t.target, address: t.address, summary });
    if (--this.#remaining === 0) this.#endSession();
  }

  #endSession(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    if (this.#immediate !== null) this.#clock.clearTimer(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    this.#probes.clear();
    this.#onEnd(this.snapshot());
  }
}

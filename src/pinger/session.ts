import type { SocketError } from '../errors.js';
import { COOKIE_BYTES } from '../packet/echo-request.js';
import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import type { IpOption } from '../packet/ip-options.js';
import type { Clock } from './clock.js';
import { completeEnd, isComplete, wantsMoreProbes } from './completion.js';
import { DueHeap } from './due-heap.js';
import { busyBackoffMs, lingerMs, nextDueMs, probeLifetimeMs, promptedDueMs, replyPromptsProbe } from './pacing.js';
import type { PingEvent, PingSummary } from './ping-event.js';
import { ProbeSender } from './probe-sender.js';
import { type Probe, ProbeTable } from './probe-table.js';
import { nextRateSlotMs, rateAllows, rateWakeMs } from './rate-gate.js';
import { Accounted, type IcmpErrorReport, ReplyAccounting } from './reply-accounting.js';
import { isBusySendError, sendFailureMessage } from './send-failure.js';
import type { SessionConfig } from './session-config.js';
import type { SessionTransport } from './session-transport.js';
import { TargetRoster } from './target-roster.js';
import type { ResolvedTarget } from './resolved-target.js';
import type { TargetState } from './target-state.js';
import { WakeTimer } from './wake-timer.js';

// The session's settings are read where the session is made (options/, the test harness).
export type { SessionConfig } from './session-config.js';

/** What a Session is made of. */
export interface SessionOptions {
  /** The targets, resolved; summaries come back in this order. */
  targets: ResolvedTarget[];
  config: SessionConfig;
  /** The payload cookie that marks this session's probes (COOKIE_BYTES random bytes). */
  cookie: Uint8Array;
  /** Identifiers and sends, from the engine. */
  transport: SessionTransport;
  /** Time and the one timer (a virtual clock in tests). */
  clock: Clock;
  /** Hears every event: per probe (unless `detail` is false) and one summary per target. */
  emit: (event: PingEvent) => void;
  /** Called once when every target has ended, with the summaries of the targets still held. */
  onEnd: (summaries: PingSummary[]) => void;
  /** Emit per-probe events (sent, reply, timeout...); false: only summaries. Default true. */
  detail?: boolean;
  /** Keep finished targets (snapshot() and onEnd report every one); false lets them go, as a sweep wants. Default true. */
  retain?: boolean;
}

// Send at most this many probes per turn of the event loop, so replies are read while a
// large sweep goes out and the socket's receive queue never overflows.
const MAX_SENDS_PER_TURN = 128;

/**
 * One run of probes over one or more targets: the sequence and timing loop. A single timer
 * drives it (never one per probe); sends follow a drift-free schedule per target; the probe
 * table matches answers and expires probes in send order. What the next probe's time is, and
 * when a target is done, are the pure rules of pacing.ts, rate-gate.ts and completion.ts.
 */
export class Session {
  readonly cookie: Uint8Array;
  readonly config: SessionConfig;
  readonly #roster: TargetRoster;
  readonly #clock: Clock;
  readonly #emit: (event: PingEvent) => void;
  readonly #detail: boolean;
  readonly #onEnd: (summaries: PingSummary[]) => void;
  readonly #heap = new DueHeap<TargetState>();
  readonly #probes = new ProbeTable();
  readonly #sender: ProbeSender;
  readonly #accounting: ReplyAccounting;
  readonly #timer: WakeTimer;
  #startMs = 0;
  // Before this clock time the --rate pace lets no probe go.
  #rateSlotMs = 0;
  #remaining: number;
  #started = false;
  #ended = false;
  #inTick = false;

  // Made once: a tick hands it to the probe table without making a closure.
  readonly #onExpired = (probe: Probe): void => {
    const t = this.#roster.at(probe.targetIndex);
    if (t !== undefined && !t.done) {
      this.#accounting.timedOut(t, probe.sequence);
      this.#afterChange(t);
    }
  };

  constructor(options: SessionOptions) {
    const detail = options.detail ?? true;
    this.#detail = detail;
    this.config = options.config;
    this.cookie = options.cookie;
    this.#clock = options.clock;
    this.#emit = options.emit;
    this.#onEnd = options.onEnd;
    this.#roster = new TargetRoster(options.targets, options.retain ?? true);
    this.#remaining = options.targets.length;
    this.#accounting = new ReplyAccounting({ config: options.config, emit: options.emit, detail });
    this.#timer = new WakeTimer(options.clock, () => this.#tick());
    this.#sender = new ProbeSender({
      transport: options.transport,
      probes: this.#probes,
      config: options.config,
      cookie: options.cookie,
      maxBatch: MAX_SENDS_PER_TURN,
      outcomes: {
        sent: (t, seq, sentNs, now) => this.#commit(t, seq, sentNs, now),
        failed: (t, seq, error, now) => this.#sendFailed(t, seq, error, now),
        deferred: (t, dueMs) => {
          t.dueMs = dueMs;
          this.#heap.push(t);
        },
      },
    });
  }

  /** True once every target has finished. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Families the targets use. */
  families(): Set<4 | 6> {
    return this.#roster.families;
  }

  /** Starts sending: every target is due now. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startMs = this.#clock.now();
    this.#rateSlotMs = this.#startMs;
    this.#sender.prepare(this.families());
    if (this.#roster.size === 0) this.#endSession();
    else this.#tick();
  }

  /** Ends every target now ('stopped'); each gets its summary. */
  stop(): void {
    if (this.#ended) return;
    for (const t of this.#roster.all(this.#startMs)) if (!t.done) this.#finish(t, 'stopped');
  }

  /** Summaries as of now, for every target still held (all of them unless the session drops finished ones). */
  snapshot(): PingSummary[] {
    const now = this.#clock.now();
    return this.#roster.all(this.#startMs).map((t) => t.summary(now));
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
    ipOptions: IpOption[] | null = null,
  ): boolean {
    const t = this.#roster.find(family, from) ?? this.#roster.anySourceFor(family, message.sequence, this.#probes);
    if (t === undefined || t.done || !this.matchesCookie(message.payload)) return false;
    const probe = this.#probes.get(t.index, message.sequence);
    const result = this.#accounting.echoReply(t, probe, from, message, ttl, recvNs, truncated, wireBytes, ipOptions);
    if (result === Accounted.Noted) return true;
    let sendNow = false;
    if (result === Accounted.Answered && replyPromptsProbe(this.config, t)) {
      // Flood and adaptive pacing: the answer is the signal to send the next probe, at once
      // (or as soon as the smallest gap allows).
      const now = this.#clock.now();
      t.dueMs = promptedDueMs(this.config, t, now);
      sendNow = t.dueMs <= now;
      if (!t.done) this.#heap.update(t);
    }
    this.#afterChange(t);
    if (sendNow && !this.#ended && !this.#inTick) this.#tick();
    return true;
  }

  /** An ICMP error quoting a probe; `from` is the host that sent the error. False when not ours. */
  onIcmpError(family: 4 | 6, from: string, quoted: QuotedProbe, facts: IcmpErrorReport): boolean {
    const t = this.#roster.find(family, quoted.destination);
    if (t === undefined || t.done || !this.matchesCookie(quoted.payload)) return false;
    const result = this.#accounting.icmpError(t, this.#probes.get(t.index, quoted.sequence), family, from, quoted, facts);
    if (result === Accounted.NotOurs) return false;
    if (result !== Accounted.Noted) this.#afterChange(t);
    return true;
  }

  // ---- the loop ---------------------------------------------------------------------------

  #tick(): void {
    if (this.#ended || this.#inTick) return;
    this.#inTick = true;
    try {
      const now = this.#clock.now();
      if (this.config.deadlineMs !== null && now >= this.#startMs + this.config.deadlineMs) {
        for (const t of this.#roster.all(this.#startMs)) if (!t.done) this.#finish(t, 'deadline');
        return;
      }
      this.#probes.expire(now, this.#onExpired);
      // Rounds until nothing more is due now: a target whose -l preload is not all out yet is
      // due again at once, and its probes go back to back as ping sends them.
      let sent = 0;
      for (;;) {
        const due = this.#collectDue(now, MAX_SENDS_PER_TURN - sent);
        if (due.length === 0) break;
        this.#sender.sendAll(due, now);
        sent += due.length;
      }
    } finally {
      this.#inTick = false;
    }
    if (!this.#ended) this.#timer.arm(this.#nextWakeMs());
  }

  /**
   * The next target whose probe is due by `now`: from the heap, or a target not created yet
   * (all of those are due at the start; order as given breaks ties). Null when none is due.
   */
  #nextDue(now: number): TargetState | null {
    const top = this.#heap.peek();
    if (this.#roster.hasPending && (top === undefined || this.#startMs < top.dueMs || (this.#startMs === top.dueMs && this.#roster.nextIndex < top.order))) {
      return this.#roster.createNext(this.#startMs);
    }
    if (top !== undefined && top.dueMs <= now) {
      this.#heap.pop();
      return top;
    }
    return null;
  }

  /** Takes up to `limit` targets due at `now` off the schedule (finishing lingering ones on the way). */
  #collectDue(now: number, limit: number): TargetState[] {
    const c = this.config;
    // A fresh array each time: emptying a kept one with `length = 0` takes V8's slow path,
    // which measured about 4% more per flood probe than this allocation.
    const due: TargetState[] = [];
    for (;;) {
      const top = this.#heap.peek();
      if (top !== undefined && top.lingering && top.dueMs <= now) {
        this.#heap.pop();
        this.#finish(top, 'count');
        continue;
      }
      if (!rateAllows(c.ratePps, this.#rateSlotMs, now)) break;
      if (due.length >= limit) break; // the rest go after the event loop has read replies
      const t = this.#nextDue(now);
      if (t === null) break;
      if (t.lingering) {
        this.#finish(t, 'count');
        continue;
      }
      this.#rateSlotMs = nextRateSlotMs(c.ratePps, this.#rateSlotMs, now);
      due.push(t);
    }
    return due;
  }

  #nextWakeMs(): number {
    const c = this.config;
    let wake = Infinity;
    const top = this.#heap.peek();
    if (top !== undefined) wake = top.lingering ? top.dueMs : rateWakeMs(c.ratePps, this.#rateSlotMs, top.dueMs);
    if (this.#roster.hasPending) wake = Math.min(wake, rateWakeMs(c.ratePps, this.#rateSlotMs, this.#startMs));
    const expiry = this.#probes.nextExpiryMs();
    if (expiry !== null) wake = Math.min(wake, expiry);
    if (c.deadlineMs !== null) wake = Math.min(wake, this.#startMs + c.deadlineMs);
    return wake;
  }

  /** After any change to a target: finish it if it is complete, and make sure the loop wakes. */
  #afterChange(t: TargetState): void {
    if (!t.done && isComplete(this.config, t)) this.#finish(t, completeEnd(this.config, t));
    if (!this.#ended && !this.#inTick) this.#timer.arm(this.#nextWakeMs());
  }

  // ---- what became of a send --------------------------------------------------------------

  /** A probe left: count it, remember it for its answer, schedule the next one. */
  #commit(t: TargetState, seq: number, sentNs: number, now: number): void {
    t.busyFailures = 0;
    t.countSent(seq, now);
    t.outstanding++;
    this.#probes.add(t.index, seq, sentNs, now + probeLifetimeMs(this.config));
    if (this.#detail) this.#emit({ type: 'sent', target: t.target, address: t.address, sequence: seq });
    this.#scheduleNext(t, now);
  }

  #sendFailed(t: TargetState, seq: number, error: SocketError, now: number): void {
    const retried = isBusySendError(error);
    if (this.#detail)
      this.#emit({
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
    t.countSent(seq, now);
    t.errors++;
    this.#scheduleNext(t, now);
    if (!t.done && isComplete(this.config, t)) this.#finish(t, 'count');
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

  // ---- the end ----------------------------------------------------------------------------

  #finish(t: TargetState, end: PingSummary['end']): void {
    if (t.done) return;
    t.done = true;
    t.end = end;
    this.#heap.remove(t);
    const summary = t.summary(this.#clock.now());
    // Nothing can be counted for a target let go: its probe records would only sit in the
    // table until they expire. A sweep's targets send one or a few probes each.
    if (this.#roster.release(t) && t.transmitted <= 64) {
      for (let seq = t.nextSequence - t.transmitted; seq < t.nextSequence; seq++) this.#probes.delete(t.index, seq & 0xffff);
    }
    this.#emit({ type: 'summary', target: t.target, address: t.address, summary });
    if (--this.#remaining === 0) this.#endSession();
  }

  #endSession(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timer.cancel();
    this.#probes.clear();
    this.#onEnd(this.snapshot());
  }
}

import { SocketError } from '../errors.js';
import { COOKIE_BYTES } from '../packet/echo-request.js';
import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import type { IpOption } from '../packet/ip-options.js';
import type { Clock } from './clock.js';
import { completeEnd, isComplete, wantsMoreProbes } from './completion.js';
import { DueHeap } from './due-heap.js';
import { busyBackoffMs, lingerMs, nextDueMs, probeLifetimeMs, promptedDueMs, replyPromptsProbe, repliesClockProbes, repliesPromptProbes } from './pacing.js';
import type { PingEvent, PingSummary } from './ping-event.js';
import { ProbeSender } from './probe-sender.js';
import { QueuedProbes } from './queued-probes.js';
import { type Probe, ProbeTable } from './probe-table.js';
import { nextRateSlotMs, rateAllows, rateWakeMs, type RatePace } from './rate-gate.js';
import { replyQueueBytes } from './receive-capacity.js';
import { Accounted, type IcmpErrorReport, ReplyAccounting } from './reply-accounting.js';
import { isBusySendError, sendFailureMessage } from './send-failure.js';
import type { SendPacer } from './send-pacer.js';
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
  /** The engine's pacer, which every send of every session passes through. */
  pacer: SendPacer;
  /** For a session whose payload is too short for a cookie: the number the engine knows it by (see Engine.transport). */
  owner?: number | null;
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
  /**
   * More targets may come through add() until endInput(): the session does not end before
   * (a sweep fed from a stream). Default false: the targets given are all there is.
   */
  open?: boolean;
  /** Called each time the targets waiting for their first probe drop to `lowWater` (a feeder tops them up). */
  onLow?: () => void;
  /** See `onLow`; default 0. */
  lowWater?: number;
  /** The --rate pace, when several sessions share it (the lanes of one sweep); default: a pace of its own. */
  pace?: RatePace;
  /** Hears a family the targets did not use before, from add(); it must make the family's socket ready (or throw). */
  onFamily?: (family: 4 | 6) => void;
}

// Send at most this many probes per turn of the event loop, so replies are read while a
// large sweep goes out and the socket's receive queue never overflows.
const MAX_SENDS_PER_TURN = 128;

// Probes queued ahead in the socket for reply-clocked sends (flood, adaptive): the addon's
// receive thread sends one per reply while JavaScript counts the replies before, in batches.
// Topped up when fewer than half are left; never more bytes than AHEAD_BYTES of them.
const AHEAD_PROBES = 256;
const AHEAD_BYTES = 1024 * 1024;

/**
 * One run of probes over one or more targets: the sequence and timing loop. A single timer
 * drives it (never one per probe); sends follow a drift-free schedule per target; the probe
 * table matches answers and expires probes in send order. What the next probe's time is, and
 * when a target is done, are the pure rules of pacing.ts, rate-gate.ts and completion.ts.
 */
export class Session {
  readonly cookie: Uint8Array;
  readonly config: SessionConfig;
  /** The number the engine knows a cookieless session by (payload under four bytes), else null. */
  readonly owner: number | null;
  readonly #roster: TargetRoster;
  readonly #clock: Clock;
  readonly #emit: (event: PingEvent) => void;
  readonly #detail: boolean;
  readonly #onEnd: (summaries: PingSummary[]) => void;
  readonly #heap = new DueHeap<TargetState>();
  readonly #probes: ProbeTable;
  readonly #sender: ProbeSender;
  readonly #transport: SessionTransport;
  readonly #pacer: SendPacer;
  // What one reply of this session takes in the kernel's receive queue, bytes.
  readonly #replyBytes: number;
  // Probes counted in flight by the pacer, not yet settled.
  #inFlight = 0;
  // Probes are due but the pacer has no room: the session waits in its line, not on a timer.
  #waitingForRoom = false;
  #dropsPolled = false;
  // Clock time the first probe was tried (sent, or failed), or -1: the deadline counts from it.
  #firstTryMs = -1;
  // Reply-clocked sends (one target, replies alone pace it): the probes after those in flight
  // wait in the socket, which sends one per datagram it receives before JavaScript sees it.
  readonly #clockable: boolean;
  #ahead: QueuedProbes | null = null;
  // The engine is handing over a datagram on which the socket sent a queued probe (or owes one,
  // or withheld one): no other may go for it; and whether it was a reply that called for one.
  #aheadSentPending = false;
  #aheadPrompted = false;
  // Sends asked of the socket whose reports have not come (kicked, or owed to a datagram), and
  // sends it was asked to withhold that it has not withheld yet.
  #alonePending = 0;
  #withheldPending = 0;

  readonly #accounting: ReplyAccounting;
  readonly #timer: WakeTimer;
  #startMs = 0;
  // Before pace.slotMs (clock ms) the --rate pace lets no probe go.
  readonly #pace: RatePace;
  #remaining: number;
  #open: boolean;
  readonly #onLow: (() => void) | undefined;
  readonly #lowWater: number;
  readonly #onFamily: ((family: 4 | 6) => void) | undefined;
  #started = false;
  #ended = false;
  #inTick = false;

  // Made once: a tick hands it to the probe table without making a closure.
  readonly #onExpired = (probe: Probe): void => {
    const t = this.#roster.at(probe.targetIndex);
    if (t !== undefined && !t.done) {
      // A probe about to be counted lost: first whether the kernel dropped replies meanwhile.
      if (!this.#dropsPolled) {
        this.#dropsPolled = true;
        this.#transport.pollDrops?.();
      }
      this.#accounting.timedOut(t, probe.sequence);
      this.#settle(1);
      this.#afterChange(t);
    }
  };
  readonly #onRoom = (): void => {
    this.#waitingForRoom = false;
    this.#tick();
  };

  constructor(options: SessionOptions) {
    const detail = options.detail ?? true;
    this.#detail = detail;
    this.config = options.config;
    this.cookie = options.cookie;
    this.owner = options.owner ?? null;
    this.#transport = options.transport;
    this.#pacer = options.pacer;
    this.#probes = new ProbeTable(options.transport.sequences ?? null);
    this.#clock = options.clock;
    this.#emit = options.emit;
    this.#onEnd = options.onEnd;
    this.#roster = new TargetRoster(options.targets, options.retain ?? true);
    this.#remaining = options.targets.length;
    let replyBytes = 0;
    for (const family of this.#roster.families) replyBytes = Math.max(replyBytes, replyQueueBytes(family, options.config.size));
    this.#replyBytes = replyBytes;
    // Cookieless probes are told apart by sequence alone: none are queued ahead for them.
    this.#clockable = options.targets.length === 1 && this.owner === null && options.transport.queueSends !== undefined && repliesClockProbes(options.config);
    this.#open = options.open ?? false;
    this.#onLow = options.onLow;
    this.#lowWater = options.lowWater ?? 0;
    this.#onFamily = options.onFamily;
    this.#pace = options.pace ?? { slotMs: -Infinity };
    this.#accounting = new ReplyAccounting({ config: options.config, emit: options.emit, detail });
    this.#timer = new WakeTimer(options.clock, () => this.#tick());
    this.#sender = new ProbeSender({
      transport: options.transport,
      probes: this.#probes,
      config: options.config,
      cookie: options.cookie,
      maxBatch: MAX_SENDS_PER_TURN,
      // Probes the socket may have sent whose reports have not come: their sequences are taken.
      isReserved: (seq) => this.#ahead !== null && this.#ahead.closing && this.#ahead.holds(seq),
      outcomes: {
        sent: (t, seq, sentNs, now, handedOver) => this.#commit(t, seq, sentNs, now, handedOver === true),
        failed: (t, seq, error, now) => this.#sendFailed(t, seq, error, now),
        deferred: (t, dueMs) => {
          t.dueMs = dueMs;
          this.#heap.push(t);
        },
        // Probes with the socket's thread are in flight at the engine's pacer from their
        // hand-over; at their report those not counted as sent leave (all, in an ended session).
        handedOver: (n) => this.#pacer.handedOver(n, this.#replyBytes),
        reported: () => (this.#ended ? null : this.#clock.now()),
        afterReport: (n, counted) => {
          this.#pacer.reported(n, counted, this.#replyBytes);
          if (!this.#ended && !this.#inTick) this.#timer.arm(this.#nextWakeMs());
        },
      },
      threadBatches: !repliesPromptProbes(options.config) && options.transport.sequences === undefined,
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

  /** Targets handed over and waiting for their first probe. */
  get waiting(): number {
    return this.#roster.waiting;
  }

  /** Starts sending: every target is due now. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startMs = this.#clock.now();
    this.#pace.slotMs = Math.max(this.#pace.slotMs, this.#startMs);
    this.#roster.startAt(this.#startMs);
    this.#sender.prepare(this.families());
    if (this.#remaining === 0 && !this.#open) this.#endSession();
    else this.#tick();
  }

  /**
   * Hands over more targets of an open session, due now (after those already waiting).
   * False when the session takes no more (it was not open, its input was ended, or it
   * stopped); throws what `onFamily` throws for a family it cannot send to.
   */
  add(targets: readonly ResolvedTarget[]): boolean {
    if (!this.#open || this.#ended) return false;
    if (targets.length === 0) return true;
    const fresh = new Set<4 | 6>();
    for (const t of targets) if (!this.#roster.families.has(t.family)) fresh.add(t.family);
    for (const family of fresh) this.#onFamily?.(family);
    this.#roster.add(targets, this.#started ? this.#clock.now() : -Infinity);
    if (this.#started) this.#sender.prepare(fresh);
    this.#remaining += targets.length;
    if (this.#started && !this.#inTick) this.#timer.arm(this.#nextWakeMs());
    return true;
  }

  /** No more targets will come: the session ends once those it has are done. */
  endInput(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.#started && this.#remaining === 0) this.#endSession();
  }

  /** Ends every target now ('stopped'); each gets its summary. An open session takes no more. */
  stop(): void {
    if (this.#ended) return;
    this.#open = false;
    for (const t of this.#roster.all(this.#startMs)) if (!t.done) this.#finish(t, 'stopped');
    if (this.#started && this.#remaining === 0) this.#endSession();
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

  /** True when a probe `sequence` to `from` is awaiting its answer or was answered lately (a reply without a cookie may be for it). */
  awaits(family: 4 | 6, from: string, sequence: number): boolean {
    const t = this.#roster.find(family, from) ?? this.#roster.anySourceFor(family, sequence, this.#probes);
    return t !== undefined && !t.done && this.#probes.get(t.index, sequence) !== undefined;
  }

  /** The engine is about to hand over a datagram on which the socket sent a probe queued ahead: it prompts no other. */
  expectQueuedSend(): void {
    this.#aheadSentPending = true;
  }

  /**
   * The socket sent the next probe queued ahead (`sentNs`, its stamp), on the datagram just
   * handed over or because one was owed, or failed to (`error`, which ends its queue): it is
   * committed as any send.
   */
  onQueuedSent(sentNs: number, error: Error | undefined): void {
    const onDatagram = this.#aheadSentPending;
    const ahead = this.#ahead;
    // A report alone is of a probe the session asked for (kicked, or owed to a datagram).
    if (!onDatagram) this.#alonePending = Math.max(0, this.#alonePending - 1);
    const seq = ahead?.takeReported();
    if (ahead !== null && seq !== undefined && !this.#ended && !ahead.target.done) {
      const t = ahead.target;
      const now = this.#clock.now();
      // Its next probe was scheduled (the idle pace); it is scheduled again from this one.
      if (t.heapIndex >= 0) this.#heap.remove(t);
      if (error instanceof SocketError) {
        ahead.dropUnsent();
        this.#sendFailed(t, seq, error, now);
      } else {
        this.#commit(t, seq, sentNs, now);
      }
      this.#afterChange(t);
    }
    if (ahead?.done === true && this.#ahead === ahead) this.#ahead = null;
    if (onDatagram) this.#afterQueuedDatagram(true);
    else this.#balanceAhead();
    if (this.#ahead !== null && !this.#ended) this.#queueAhead(0);
  }

  /**
   * The socket received a datagram with nothing queued to send on it (the session fell behind
   * it): it owes one, which goes as soon as some are queued, so some are, at once.
   */
  onSendOwed(): void {
    this.#alonePending++;
    if (this.#ahead !== null && !this.#ended) this.#queueAhead(0, true);
    this.#afterQueuedDatagram(true);
  }

  /** The socket withheld the send due on the datagram just handed over, as asked. */
  onSendWithheld(): void {
    this.#withheldPending = Math.max(0, this.#withheldPending - 1);
    this.#afterQueuedDatagram(false);
  }

  // The socket's rule (a send per datagram) and the session's pace (a send per reply that calls
  // for one, flood's and -A's rule) differ on datagrams that call for none (duplicates, ICMP
  // errors, other programs' datagrams) and after a withheld one. After each: a reply that called
  // for a probe and got none gets one now; and what is in flight, counting what is asked for and
  // not reported, and less what is withheld, is brought back to the preload by withholding the
  // excess from the next datagrams.
  #afterQueuedDatagram(served: boolean): void {
    const prompted = this.#aheadPrompted;
    this.#aheadSentPending = false;
    this.#aheadPrompted = false;
    if (this.#ahead === null || this.#ahead.closing || this.#ended) return;
    if (prompted && !served) this.#queueAhead(1);
    this.#balanceAhead();
  }

  #balanceAhead(): void {
    const ahead = this.#ahead;
    if (ahead === null || ahead.closing || this.#ended) return;
    const excess = ahead.target.outstanding + this.#alonePending - this.#withheldPending - this.config.preload;
    if (excess <= 0) return;
    this.#withheldPending += excess;
    this.#transport.withholdSends?.(ahead.target.family, excess);
  }

  /** The engine took back the probes queued on the socket (another session came to share it); `pending` reports are still to come. */
  onQueueDropped(pending: number): void {
    this.#alonePending = 0;
    this.#withheldPending = 0;
    this.#ahead?.close(pending);
    if (this.#ahead?.done === true) this.#ahead = null;
  }

  /** The kernel discarded `dropped` datagrams at this session's socket of `family` (`total` over the engine's life). */
  onKernelDrops(family: 4 | 6, dropped: number, total: number): void {
    if (!this.#ended) this.#emit({ type: 'drops', family, dropped, total });
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
    const outstanding = t.outstanding;
    const result = this.#accounting.echoReply(t, probe, from, message, ttl, recvNs, truncated, wireBytes, ipOptions);
    if (result === Accounted.Noted) return true;
    this.#settle(outstanding - t.outstanding);
    let sendNow = false;
    if (result === Accounted.Answered && replyPromptsProbe(this.config, t) && this.#aheadSentPending) {
      // The socket has made (or owes, or withheld for an earlier one) the probe this reply calls for.
      this.#aheadPrompted = true;
    } else if (result === Accounted.Answered && replyPromptsProbe(this.config, t)) {
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
    const outstanding = t.outstanding;
    const result = this.#accounting.icmpError(t, this.#probes.get(t.index, quoted.sequence), family, from, quoted, facts);
    if (result === Accounted.NotOurs) return false;
    this.#settle(outstanding - t.outstanding);
    if (result !== Accounted.Noted) this.#afterChange(t);
    return true;
  }

  // ---- the loop ---------------------------------------------------------------------------

  #tick(): void {
    if (this.#ended || this.#inTick) return;
    this.#inTick = true;
    try {
      const now = this.#clock.now();
      const deadline = this.#deadlineAtMs();
      // About to count probes lost (or end): first the replies that wait unread, which a busy
      // event loop may not have read yet (their kernel stamps say whether they came in time).
      if (this.#inFlight > 0 && (now >= deadline || (this.#probes.nextExpiryMs() ?? Infinity) <= now)) {
        // At the end, probes queued in the socket are taken back first: its receive thread
        // stops and hands over what it read, and what it had not read yet is read here.
        if (now >= deadline) this.#unqueueAhead();
        this.#transport.drain?.();
        if (this.#ended) return;
      }
      if (now >= deadline) {
        this.#open = false;
        for (const t of this.#roster.all(this.#startMs)) if (!t.done) this.#finish(t, 'deadline');
        if (this.#remaining === 0) this.#endSession();
        return;
      }
      this.#dropsPolled = false;
      this.#probes.expire(now, this.#onExpired);
      // Rounds until nothing more is due now: a target whose -l preload is not all out yet is
      // due again at once, and its probes go back to back as ping sends them. The engine's
      // pacer may hold some back: then the session waits in its line for room.
      // With probes queued in the socket, one due now goes from there, in its turn.
      if (this.#ahead !== null && !this.#ahead.closing && this.#sendIsDue(now)) this.#kickAhead(now);
      let sent = 0;
      let room = 0;
      for (;;) {
        room = this.#pacer.available(this.#replyBytes);
        const due = this.#collectDue(now, Math.min(MAX_SENDS_PER_TURN - sent, room));
        if (due.length === 0) break;
        this.#sender.sendAll(due, now);
        sent += due.length;
      }
      if (room === 0 && !this.#ended && this.#sendIsDue(now)) {
        this.#waitingForRoom = true;
        this.#pacer.wait(this.#onRoom, this.#replyBytes);
      }
      if (this.#clockable && !this.#ended) this.#queueAhead(0);
    } finally {
      this.#inTick = false;
    }
    if (!this.#ended) this.#timer.arm(this.#nextWakeMs());
  }

  /**
   * The next target whose probe is due by `now`: from the heap, or a target not created yet
   * (due when it was handed over: those of the list at the start; order as given breaks
   * ties). Null when none is due.
   */
  #nextDue(now: number): TargetState | null {
    const top = this.#heap.peek();
    const pendingDue = this.#roster.nextDueMs;
    if (pendingDue <= now && (top === undefined || pendingDue < top.dueMs || (pendingDue === top.dueMs && this.#roster.nextIndex < top.order))) {
      const t = this.#roster.createNext(pendingDue);
      if (this.#onLow !== undefined && this.#roster.waiting === this.#lowWater) this.#onLow();
      return t;
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
      if (!rateAllows(c.ratePps, this.#pace.slotMs, now)) break;
      if (due.length >= limit) break; // the rest go after the event loop has read replies
      const t = this.#nextDue(now);
      if (t === null) break;
      if (t.lingering) {
        this.#finish(t, 'count');
        continue;
      }
      this.#pace.slotMs = nextRateSlotMs(c.ratePps, this.#pace.slotMs, now);
      due.push(t);
    }
    return due;
  }

  /**
   * Hands the socket the probes after those queued, to send one per reply: up to AHEAD_PROBES
   * waiting, topped up when fewer than half are left, as many as are still to go, never past
   * the deadline; `kick` of them at once. Only while something is in flight whose reply lets
   * the first go (or one is kicked), and the socket is this session's alone.
   */
  #queueAhead(kick: number, owed = false): void {
    const t = this.#roster.at(0);
    const ahead = this.#ahead;
    if (t === undefined || t.done || t.lingering || (t.outstanding === 0 && kick === 0 && !owed) || ahead?.closing === true) return;
    const waiting = ahead?.unreported ?? 0;
    if (kick === 0 && !owed && waiting >= AHEAD_PROBES / 2) return;
    if (!this.#transport.canQueueSends?.(t.family) || !wantsMoreProbes(this.config, t)) return;
    const c = this.config;
    // Owed a send, the socket has sent all it had, however many this session still counts as
    // waiting: at least one more.
    let count = Math.max(owed ? 1 : 0, Math.min(AHEAD_PROBES, Math.max(1, Math.floor(AHEAD_BYTES / (c.size + 48)))) - waiting);
    // With a deadline, count is replies to wait for: the deadline bounds what goes instead.
    if (c.deadlineMs === null) count = Math.min(count, c.count - t.transmitted - waiting);
    if (!(count >= 1) && kick === 0) return;
    const deadline = this.#deadlineAtMs();
    const notAfterNs = Number.isFinite(deadline) ? Math.max(1, deadline * 1e6) : 0;
    const { sequences, packets, packetLength } = this.#sender.encodeAhead(t, Math.max(0, count), ahead?.nextSequence ?? t.nextSequence);
    if (sequences.length === 0 && kick === 0) return;
    if (this.#transport.queueSends?.(t.family, packets, packetLength, sequences.length, t.address, t.scopeId, notAfterNs, kick) !== true) return;
    this.#alonePending += kick;
    const queued = ahead ?? new QueuedProbes(t);
    queued.add(sequences);
    this.#ahead = queued;
  }

  /**
   * A probe of the queued target is due now (the idle pace, or a reply that the socket let
   * nothing go on): the socket sends the next queued one at once, and the target is scheduled
   * as if it went; the send is committed when its report comes.
   */
  #kickAhead(now: number): void {
    // The replies the socket has read but not handed over yet may be what this probe waits
    // for (an event loop that stalled while the socket went on): they come first.
    this.#transport.drain?.();
    const t = this.#ahead?.target;
    if (t === undefined || this.#ahead?.closing === true || t.done || t.lingering || t.dueMs > now) return;
    this.#heap.remove(t);
    t.dueMs = nextDueMs(this.config, t, now);
    this.#heap.push(t);
    this.#queueAhead(1);
  }

  #unqueueAhead(): void {
    const ahead = this.#ahead;
    if (ahead === null || ahead.closing) return;
    this.#alonePending = 0;
    this.#withheldPending = 0;
    const pending = this.#transport.unqueueSends?.(ahead.target.family) ?? 0;
    ahead.close(pending);
    if (ahead.done) this.#ahead = null;
  }

  /** True when a probe may go now (by the session's own pacing) but has not. */
  #sendIsDue(now: number): boolean {
    if (!rateAllows(this.config.ratePps, this.#pace.slotMs, now)) return false;
    const top = this.#heap.peek();
    return this.#roster.hasPending || (top !== undefined && !top.lingering && top.dueMs <= now);
  }

  #nextWakeMs(): number {
    const c = this.config;
    let wake = Infinity;
    const top = this.#heap.peek();
    // Waiting for the pacer's room, the sends wake nothing: the pacer calls when there is room.
    const sends = !this.#waitingForRoom;
    if (top !== undefined && (top.lingering || sends)) wake = top.lingering ? top.dueMs : rateWakeMs(c.ratePps, this.#pace.slotMs, top.dueMs);
    if (this.#roster.hasPending && sends) wake = Math.min(wake, rateWakeMs(c.ratePps, this.#pace.slotMs, this.#roster.nextDueMs));
    const expiry = this.#probes.nextExpiryMs();
    if (expiry !== null) wake = Math.min(wake, expiry);
    return Math.min(wake, this.#deadlineAtMs());
  }

  /**
   * When the run's deadline is, clock ms: `deadlineMs` after the first probe was tried, so
   * that the time a session waits for the engine's pacer to let it send is not taken from its
   * own. Infinity before that, and without a deadline.
   */
  #deadlineAtMs(): number {
    return this.config.deadlineMs === null || this.#firstTryMs < 0 ? Infinity : this.#firstTryMs + this.config.deadlineMs;
  }

  /** After any change to a target: finish it if it is complete, and make sure the loop wakes. */
  #afterChange(t: TargetState): void {
    if (!t.done && isComplete(this.config, t)) this.#finish(t, completeEnd(this.config, t));
    if (!this.#ended && !this.#inTick) this.#timer.arm(this.#nextWakeMs());
  }

  // ---- what became of a send --------------------------------------------------------------

  /** A probe left: count it, remember it for its answer, schedule the next one. `handedOver`: the pacer counted it at its hand-over. */
  #commit(t: TargetState, seq: number, sentNs: number, now: number, handedOver = false): void {
    if (this.#firstTryMs < 0) this.#firstTryMs = now;
    t.busyFailures = 0;
    t.countSent(seq, now);
    t.outstanding++;
    this.#inFlight++;
    if (!handedOver) this.#pacer.sent(1, this.#replyBytes);
    this.#probes.add(t.index, seq, sentNs, now + probeLifetimeMs(this.config));
    if (this.#detail) this.#emit({ type: 'sent', target: t.target, address: t.address, sequence: seq });
    this.#scheduleNext(t, now);
  }

  #sendFailed(t: TargetState, seq: number, error: SocketError, now: number): void {
    if (this.#firstTryMs < 0) this.#firstTryMs = now;
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

  /** `n` probes of this session are no longer awaited (the pacer may let others go). */
  #settle(n: number): void {
    if (n <= 0) return;
    this.#inFlight -= n;
    this.#pacer.settled(n, this.#replyBytes);
  }

  #finish(t: TargetState, end: PingSummary['end']): void {
    if (t.done) return;
    t.done = true;
    t.end = end;
    // Its probes still out are given up: nothing will count their answers; none more may go.
    this.#settle(t.outstanding);
    if (this.#ahead?.target === t) this.#unqueueAhead();
    this.#heap.remove(t);
    const summary = t.summary(this.#clock.now());
    // Nothing can be counted for a target let go: its probe records would only sit in the
    // table until they expire. A sweep's targets send one or a few probes each.
    if (this.#roster.release(t) && t.transmitted <= 64) {
      for (let seq = t.nextSequence - t.transmitted; seq < t.nextSequence; seq++) this.#probes.delete(t.index, seq & 0xffff);
    }
    this.#emit({ type: 'summary', target: t.target, address: t.address, summary });
    if (--this.#remaining === 0 && !this.#open) this.#endSession();
  }

  #endSession(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timer.cancel();
    this.#pacer.cancel(this.#onRoom);
    this.#settle(this.#inFlight);
    this.#probes.clear();
    this.#onEnd(this.snapshot());
  }
}

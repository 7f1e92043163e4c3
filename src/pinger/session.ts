import { SocketError } from '../errors.js';
import { describeIcmpError } from '../wording/describe-icmp-error.js';
import { COOKIE_BYTES, EchoRequestTemplate } from '../packet/echo-request.js';
import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import type { BatchSendResult } from '../os/socket-like.js';
import type { Clock, TimerHandle } from './clock.js';
import { DueHeap } from './due-heap.js';
import type { PingEvent, PingSummary } from './ping-event.js';
import { type Probe, ProbeState, ProbeTable } from './probe-table.js';
import { type ResolvedTarget, TargetState } from './target-state.js';

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

/** How a session paces and ends its probes (already validated; see options.ts). */
export interface SessionConfig {
  /** Probes per target; Infinity for no limit. With a deadline: replies to wait for. With retries: 1 + retries (resolveOptions sets it). */
  count: number;
  /** Gap between two probes of one target, ms. 0: send when the last probe is answered, at least every 10 ms. */
  intervalMs: number;
  /** How long a probe waits for its reply, ms; also how long a target waits after its last probe when nothing came. */
  timeoutMs: number;
  /** End of the whole run, ms after start; null for none. */
  deadlineMs: number | null;
  /** Probes sent back to back at the start of each target (>= 1). */
  preload: number;
  /** Echo payload bytes. */
  size: number;
  /** Fill pattern for the payload after the cookie; null for ping's default fill. */
  pattern: Uint8Array | null;
  /** Cap on sends per second across all targets; 0 for none. */
  ratePps: number;
  /** A target is done at its first reply (reachability checks). */
  stopOnReply: boolean;
  /** Extra probes after a timeout when no reply came yet (0: none); `count` is then 1 + retries. */
  retries: number;
  /** Factor by which the wait before each retry grows. */
  backoff: number;
  /**
   * Adaptive pacing (ping -A): each reply lets the next probe go at once, and without one
   * the gap is the smoothed RTT (before the first reply: intervalMs), never below minIntervalMs.
   */
  adaptive: boolean;
  /** Smallest gap between two probes of a target in flood and adaptive pacing, ms. */
  minIntervalMs: number;
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
// The pace of a target whose interval is 0 when no reply prompts the next probe (ping -f).
const FLOOD_IDLE_MS = 10;
// The shortest wait for the last replies once some came back (ping: 2 x the longest RTT).
const LINGER_FLOOR_MS = 10;
// A wake-up that comes late may send the probes the --rate pace owed meanwhile, up to this
// much of it. Node's timers count whole milliseconds and often fire one late: with no credit
// a rate of 1000/s came out near 700/s, and any rate above 1000/s near 1000/s. On time, the
// pace stays one probe per gap.
const RATE_CREDIT_MS = 2;
const BUSY_BACKOFF_MIN_MS = 10;
const BUSY_BACKOFF_MAX_MS = 500;
const BUSY_CODES = new Set(['ENOBUFS', 'EAGAIN', 'EWOULDBLOCK', 'ENOMEM']);
const BLOCKED_CODES = new Set(['EPERM', 'EACCES']);

function sendErrorMessage(error: SocketError): string {
  if (BLOCKED_CODES.has(error.errnoCode)) return 'blocked locally (a firewall rule or a prohibit route)';
  return error.message;
}

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
    const c = this.config;
    const floodNext = (c.intervalMs === 0 || c.adaptive) && t.outstanding < c.preload && !t.lingering;
    let sendNow = false;
    if (floodNext) {
      // Flood and adaptive pacing: the answer is the signal to send the next probe, at once
      // (or as soon as the smallest gap allows).
      const now = this.#clock.now();
      t.dueMs = Math.max(now, t.lastSendMs + c.minIntervalMs);
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
      if (this.config.ratePps > 0 && this.#nextSendAllowedMs > now) break;
      if (due.length >= limit) break; // the rest go after the event loop has read replies
      const t = this.#nextDue(now);
      if (t === null) break;
      if (t.lingering) {
        this.#finish(t, 'count');
        continue;
      }
      if (this.config.ratePps > 0) this.#nextSendAllowedMs = Math.max(this.#nextSendAllowedMs, now - RATE_CREDIT_MS) + 1000 / this.config.ratePps;
      due.push(t);
    }
    return due;
  }

  #nextWakeMs(): number {
    let wake = Infinity;
    const top = this.#heap.peek();
    if (top !== undefined) {
      wake = top.dueMs;
      if (!top.lingering && this.config.ratePps > 0) wake = Math.max(wake, this.#nextSendAllowedMs);
    }
    if (this.#nextPending < this.#pending.length) {
      wake = Math.min(wake, this.config.ratePps > 0 ? Math.max(this.#startMs, this.#nextSendAllowedMs) : this.#startMs);
    }
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
    if (!t.done && this.#isComplete(t)) this.#finish(t, this.config.stopOnReply && t.received > 0 ? 'reachable' : 'count');
    if (!this.#ended && !this.#inTick) this.#arm(this.#nextWakeMs());
  }

  #isComplete(t: TargetState): boolean {
    const c = this.config;
    if (c.stopOnReply && t.received > 0) return true;
    // As ping: enough answers end a target, and with a deadline any error ends it.
    if (Number.isFinite(c.count) && c.retries === 0 && t.received + t.errors >= c.count) return true;
    if (c.deadlineMs !== null && t.errors > 0 && c.retries === 0) return true;
    return c.deadlineMs === null && t.transmitted >= c.count && t.outstanding === 0;
  }

  /** True while the target should keep sending. With a deadline, count means replies (as ping). */
  #wantsMore(t: TargetState): boolean {
    const c = this.config;
    if (c.deadlineMs !== null && c.retries === 0) return !Number.isFinite(c.count) || t.received < c.count;
    return t.transmitted < c.count;
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
    const c = this.config;
    t.busyFailures = 0;
    this.#countSend(t, seq, now);
    t.outstanding++;
    // With retries a probe may be answered until the last retry's wait is over.
    this.#probes.add(t.index, seq, sentNs, now + c.timeoutMs * c.backoff ** c.retries);
    if (this.#detail) this.#emit({ type: 'sent', target: t.target, address: t.address, sequence: seq });
    this.#scheduleNext(t, now);
  }

  #sendFailed(t: TargetState, seq: number, error: SocketError, now: number): void {
    const retried = BUSY_CODES.has(error.errnoCode);
    if (this.#detail) this.#emit({
      type: 'send-error',
      target: t.target,
      address: t.address,
      sequence: seq,
      code: error.errnoCode,
      message: sendErrorMessage(error),
      retried,
    });
    if (retried) {
      // The probe did not leave: try the same one again later, backing off while it lasts.
      t.busyFailures++;
      const wait = Math.min(BUSY_BACKOFF_MAX_MS, BUSY_BACKOFF_MIN_MS * 2 ** (t.busyFailures - 1));
      t.dueMs = now + wait;
      this.#heap.push(t);
      return;
    }
    // Any other failure is this probe's result (as ping: "pretend we sent"); the run goes on.
    this.#countSend(t, seq, now);
    t.errors++;
    this.#scheduleNext(t, now);
    if (!t.done && this.#isComplete(t)) this.#finish(t, 'count');
  }

  /** Probe `seq` counts as sent at `now`, whether it left or failed for good. */
  #countSend(t: TargetState, seq: number, now: number): void {
    t.nextSequence = seq + 1;
    t.transmitted++;
    if (t.firstSendMs < 0) t.firstSendMs = now;
    t.lastSendMs = now;
  }

  #scheduleNext(t: TargetState, now: number): void {
    const c = this.config;
    if (t.done) return;
    if (!this.#wantsMore(t)) {
      // Wait for the last answers as ping does: twice the longest RTT (at least one interval)
      // once something came back. Otherwise the wait is the full timeout, which is when the
      // last probe expires and ends the target by itself: no heap entry needed (a sweep has
      // tens of thousands of targets in that state).
      if (t.received > 0 && c.retries === 0) {
        t.lingering = true;
        const maxRttMs = t.rttSummary()?.max ?? 0;
        // Never under 10 ms: a loopback RTT is microseconds, and the event loop may take
        // longer than twice that to read a reply that has already arrived.
        t.dueMs = now + Math.max(2 * maxRttMs, c.intervalMs, LINGER_FLOOR_MS);
        this.#heap.push(t);
      }
      return;
    }
    if (t.transmitted < c.preload && c.retries === 0) {
      t.dueMs = now;
    } else if (c.retries > 0) {
      t.dueMs = now + c.timeoutMs * c.backoff ** (t.transmitted - 1);
    } else if (c.adaptive) {
      // As ping -A: the gap is the smoothed RTT in whole milliseconds; when that rounds to 0
      // the pace is flood's (the reply, or 10 ms without one).
      const gapMs = t.received > 0 ? Math.round((t.rttSummary()?.iputils.ewmaTimes8Us ?? 0) / 8000) : c.intervalMs;
      t.dueMs = now + Math.max(c.minIntervalMs, gapMs > 0 ? gapMs : FLOOD_IDLE_MS);
    } else if (c.intervalMs === 0) {
      t.dueMs = now + Math.max(c.minIntervalMs, FLOOD_IDLE_MS);
    } else {
      // Drift-free: the next slot follows the previous slot, not the moment of this send. After
      // a long stall skip the missed slots instead of sending them in a burst.
      t.dueMs += c.intervalMs;
      // This probe went late (a stalled event loop): the next one keeps the full interval
      // after it rather than following at once to make up the slot.
      if (t.dueMs <= now) t.dueMs = now + c.intervalMs;
    }
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

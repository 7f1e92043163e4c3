import { SocketError } from '../errors.js';
import { COOKIE_BYTES } from '../packet/echo-request.js';
import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import { TraceProbeTemplate } from '../packet/trace-probe.js';
import type { SocketLike } from '../os/socket-like.js';
import { describeIcmpError } from '../wording/describe-icmp-error.js';
import { traceMark } from '../wording/trace-mark.js';
import type { Clock } from './clock.js';
import type { EngineClient } from './engine-client.js';
import { type HopAnswer, HopRecord } from './hop-record.js';
import { pathLoss } from './path-loss.js';
import type { IcmpErrorReport } from './reply-accounting.js';
import type { ResolvedTarget } from './resolved-target.js';
import type { TraceConfig } from './trace-config.js';
import type { TraceEvent, TraceHop, TraceProbeEvent, TraceSummary } from './trace-event.js';
import { answeredLaterMs, type AnswerBudget, fullBudget, lastHopShown, lastHopToProbe, nextRoundMs, probeDueMs, spendAnswer } from './trace-pacing.js';
import { WakeTimer } from './wake-timer.js';

/** What a TraceSession is made of. */
export interface TraceSessionOptions {
  /** The destination, resolved. */
  target: ResolvedTarget;
  config: TraceConfig;
  /** The payload cookie that marks this trace's probes (COOKIE_BYTES random bytes). */
  cookie: Uint8Array;
  /** The socket of the target's family; it must send with a hop limit per datagram. */
  socket: SocketLike;
  /** Time and the one timer (a virtual clock in tests). */
  clock: Clock;
  /** Hears every event: a 'hop' per probe, a 'round' per round, the 'summary' last. */
  emit: (event: TraceEvent) => void;
  /** Called once, when the trace ends, with its summary. */
  onEnd: (summary: TraceSummary) => void;
}

interface Round {
  /** From 1. */
  index: number;
  startMs: number;
  /** The next hop to send to. */
  nextHop: number;
  /** Every probe of the round is out (or the destination was found before the rest went). */
  sentAll: boolean;
  /** Probes out and not settled. */
  pending: number;
  /** The highest hop that answered in this round; 0 for none. */
  maxAnswered: number;
  /** The sequences of its probes, to forget them when the round ends. */
  sequences: number[];
}

interface Probe {
  sequence: number;
  round: Round;
  hop: number;
  sentNs: number;
  expiresMs: number;
  /** When to give up early, because a later hop of its round answered (see answeredLaterMs); Infinity until then. */
  nearMs: number;
  settled: boolean;
}

/**
 * One trace: rounds of echo requests to one destination with increasing TTL / hop limit over a
 * shared socket (each datagram carries its own hop limit), each answer matched to the probe it
 * quotes: Time Exceeded from the routers on the way, an echo reply from the destination, or
 * another ICMP error that ends the path. One timer drives it; probes expire in send order. The
 * schedule is trace-pacing.ts's, the loss figures path-loss.ts's.
 */
export class TraceSession implements EngineClient {
  readonly cookie: Uint8Array;
  // A trace's probes always carry its cookie's bytes that fit; it never draws from the engine's sequence ledger.
  readonly owner = null;
  readonly config: TraceConfig;
  readonly #target: ResolvedTarget;
  readonly #families: ReadonlySet<4 | 6>;
  readonly #socket: SocketLike;
  readonly #clock: Clock;
  readonly #emit: (event: TraceEvent) => void;
  readonly #onEnd: (summary: TraceSummary) => void;
  readonly #timer: WakeTimer;
  readonly #template: TraceProbeTemplate;
  readonly #hops = new Map<number, HopRecord>();
  // What is left of each router's answers (trace-pacing.ts).
  readonly #budgets = new Map<number, AnswerBudget>();
  readonly #probes = new Map<number, Probe>();
  // Probes in send order, which is expiry order (one timeout for all); settled ones are skipped.
  #expiry: Probe[] = [];
  #expiryHead = 0;
  // Probes with an early deadline (a later hop of their round answered), not yet settled.
  #near: Probe[] = [];
  // Rounds not yet over, oldest first; the last may still be sending.
  readonly #rounds: Round[] = [];
  #roundsStarted = 0;
  #roundsDone = 0;
  #nextRoundMs = 0;
  #nextSequence = 0;
  #startMs = 0;
  #started = false;
  #ended = false;
  #inTick = false;
  #reached = false;

  constructor(options: TraceSessionOptions) {
    this.cookie = options.cookie;
    this.config = options.config;
    this.#target = options.target;
    this.#families = new Set([options.target.family]);
    this.#socket = options.socket;
    this.#clock = options.clock;
    this.#emit = options.emit;
    this.#onEnd = options.onEnd;
    this.#timer = new WakeTimer(options.clock, () => this.#tick());
    this.#template = new TraceProbeTemplate({
      family: options.target.family,
      identifier: options.socket.identifier,
      size: options.config.size,
      cookie: options.cookie,
    });
  }

  /** True once the trace has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  families(): ReadonlySet<4 | 6> {
    return this.#families;
  }

  /** Sends the first round now. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startMs = this.#clock.now();
    this.#nextRoundMs = this.#startMs;
    this.#tick();
  }

  /** Ends the trace now ('stopped'); probes still out are left uncounted. */
  stop(): void {
    this.#end('stopped');
  }

  /** The figures as of now. */
  snapshot(end: TraceSummary['end'] = 'stopped'): TraceSummary {
    return {
      target: this.#target.target,
      address: this.#target.address,
      family: this.#target.family,
      hops: this.#table(),
      reached: this.#reached,
      rounds: this.#roundsDone,
      elapsedMs: this.#started ? this.#clock.now() - this.#startMs : 0,
      end,
    };
  }

  /** True when probe `sequence` to the destination is out: an answer too short for a cookie may be for it. */
  awaits(family: 4 | 6, to: string, sequence: number): boolean {
    const probe = this.#probes.get(sequence);
    return family === this.#target.family && to === this.#target.address && probe !== undefined && !probe.settled;
  }

  /** Nothing to do: a trace's probes are a few per round, and one the kernel dropped shows as that hop's loss. */
  onKernelDrops(): void {}

  /** The destination's echo reply (from the destination itself, as ping takes them). */
  onEchoReply(family: 4 | 6, from: string, message: EchoMessage, _ttl: number, recvNs: number): boolean {
    if (family !== this.#target.family || from !== this.#target.address || !this.#matchesCookie(message.payload)) return false;
    const probe = this.#probes.get(message.sequence);
    if (probe === undefined) return false;
    if (!probe.settled) this.#answered(probe, { from, rttNs: recvNs - probe.sentNs, status: 'reply' }, null);
    return true;
  }

  onIcmpError(family: 4 | 6, from: string, quoted: QuotedProbe, facts: IcmpErrorReport, recvNs: number): boolean {
    if (family !== this.#target.family || quoted.destination !== this.#target.address || !this.#matchesCookie(quoted.payload)) return false;
    const probe = this.#probes.get(quoted.sequence);
    if (probe === undefined) return false;
    // Advice, not an answer: the probe may still be answered.
    if (probe.settled || facts.kind === 'redirect' || facts.kind === 'source-quench') return true;
    const rttNs = recvNs - probe.sentNs;
    const reason = describeIcmpError({ family, type: facts.type, code: facts.code, info: facts.info, gateway: facts.gateway });
    if (facts.kind === 'time-exceeded' && facts.code === 0) {
      this.#answered(probe, { from, rttNs, status: 'time-exceeded' }, reason);
      return true;
    }
    const mtu = facts.kind === 'packet-too-big' || (family === 4 && facts.type === 3 && facts.code === 4) ? facts.info : null;
    const error = { mark: traceMark(family, facts.type, facts.code), reason, icmpType: facts.type, icmpCode: facts.code, mtu };
    this.#answered(probe, { from, rttNs, status: 'error', error }, reason);
    return true;
  }

  #matchesCookie(payload: Uint8Array): boolean {
    const n = Math.min(payload.length, COOKIE_BYTES, this.config.size);
    for (let i = 0; i < n; i++) if (payload[i] !== this.cookie[i]) return false;
    return true;
  }

  // ---- the loop ---------------------------------------------------------------------------

  #tick(): void {
    if (this.#ended || this.#inTick) return;
    this.#inTick = true;
    try {
      this.#expire(this.#clock.now());
      this.#sendDue();
    } finally {
      this.#inTick = false;
    }
    this.#afterChange();
  }

  #sendDue(): void {
    const c = this.config;
    for (;;) {
      if (this.#ended) return;
      const now = this.#clock.now();
      let round = this.#sending();
      if (round === null) {
        if (this.#roundsStarted >= c.rounds || now < this.#nextRoundMs) return;
        round = { index: ++this.#roundsStarted, startMs: now, nextHop: c.firstHop, sentAll: false, pending: 0, maxAnswered: 0, sequences: [] };
        this.#rounds.push(round);
        this.#nextRoundMs = nextRoundMs(c, now);
      }
      const due = probeDueMs(c, round.startMs, round.nextHop);
      if (round.nextHop > lastHopToProbe(c, this.#destinationHop())) {
        // The round has reached the destination as known. Its last probe's answer may say
        // the path is longer now (a Time Exceeded where the destination answered before):
        // wait for it until the next hop's slot, then go on or end the round.
        if (due > now && this.#lastProbeOut(round)) return;
        round.sentAll = true;
        this.#roundMaybeDone(round);
        continue;
      }
      if (due > now) return;
      const hop = round.nextHop++;
      if (this.#mayProbe(hop, now)) this.#send(round, hop, now);
    }
  }

  /**
   * Whether hop `hop` gets a probe this round: always the destination's (its echo replies are
   * not rate-limited), a router's while its answers last (trace-pacing.ts, ROUTER_ANSWERS).
   */
  #mayProbe(hop: number, now: number): boolean {
    const record = this.#hop(hop);
    if (record.destination) return true;
    const budget = spendAnswer(this.#budgets.get(hop) ?? fullBudget(now), now);
    if (budget === null) return false;
    this.#budgets.set(hop, budget);
    return true;
  }

  /** Whether the round's last probe (to the hop before `nextHop`) is still out. */
  #lastProbeOut(round: Round): boolean {
    const sequence = round.sequences[round.sequences.length - 1];
    const probe = sequence === undefined ? undefined : this.#probes.get(sequence);
    return probe !== undefined && !probe.settled && probe.hop === round.nextHop - 1;
  }

  /** The round still sending, or null. */
  #sending(): Round | null {
    const last = this.#rounds[this.#rounds.length - 1];
    return last !== undefined && !last.sentAll ? last : null;
  }

  #send(round: Round, hop: number, now: number): void {
    let sequence = this.#nextSequence & 0xffff;
    while (this.#probes.has(sequence)) sequence = (sequence + 1) & 0xffff;
    this.#nextSequence = sequence + 1;
    const record = this.#hop(hop);
    const probe: Probe = { sequence, round, hop, sentNs: 0, expiresMs: now + this.config.timeoutMs, nearMs: Infinity, settled: false };
    const bytes = this.#template.withSequence(sequence);
    const socket = this.#socket;
    if (socket.sendWithHopLimit === undefined) throw new Error('this socket cannot send with a hop limit of its own per probe');
    let failure: string | null = null;
    try {
      probe.sentNs = socket.sendWithHopLimit(bytes, this.#target.address, this.#target.scopeId, hop);
    } catch (error) {
      if (!(error instanceof SocketError)) throw error;
      failure = error.errnoCode;
    }
    this.#probes.set(sequence, probe);
    round.sequences.push(sequence);
    round.pending++;
    if (failure !== null) {
      // The probe did not leave: it is an unanswered one, known at once.
      probe.settled = true;
      round.pending--;
      record.timedOut();
      this.#emitProbe(probe, { status: 'silent', from: null, rttMs: null, mark: null, reason: `not sent (${failure})`, mtu: null });
      return;
    }
    this.#expiry.push(probe);
  }

  #expire(now: number): void {
    if (this.#near.length > 0) {
      const due = this.#near.filter((p) => !p.settled && p.nearMs <= now);
      this.#near = this.#near.filter((p) => !p.settled && p.nearMs > now);
      for (const probe of due) {
        this.#giveUp(probe);
        if (this.#ended) return;
      }
    }
    while (this.#expiryHead < this.#expiry.length) {
      const probe = this.#expiry[this.#expiryHead] as Probe;
      if (!probe.settled && probe.expiresMs > now) break;
      this.#expiryHead++;
      if (probe.settled) continue;
      this.#giveUp(probe);
      if (this.#ended) return;
    }
    if (this.#expiryHead > 1024 && this.#expiryHead * 2 > this.#expiry.length) {
      this.#expiry = this.#expiry.slice(this.#expiryHead);
      this.#expiryHead = 0;
    }
  }

  /** A probe whose wait is over: unanswered. */
  #giveUp(probe: Probe): void {
    probe.settled = true;
    probe.round.pending--;
    this.#hop(probe.hop).timedOut();
    this.#emitProbe(probe, { status: 'silent', from: null, rttMs: null, mark: null, reason: null, mtu: null });
    this.#roundMaybeDone(probe.round);
  }

  #answered(probe: Probe, answer: HopAnswer, reason: string | null): void {
    probe.settled = true;
    probe.round.pending--;
    probe.round.maxAnswered = Math.max(probe.round.maxAnswered, probe.hop);
    // The probes before it in this round that are still out need not wait their full timeout.
    const nearMs = answeredLaterMs(this.#clock.now(), Math.max(0, answer.rttNs) / 1e6);
    for (const sequence of probe.round.sequences) {
      const earlier = this.#probes.get(sequence);
      if (earlier === undefined || earlier.settled || earlier.hop >= probe.hop || earlier.nearMs <= nearMs) continue;
      if (earlier.nearMs === Infinity) this.#near.push(earlier);
      earlier.nearMs = nearMs;
    }
    this.#hop(probe.hop).answered(answer);
    if (answer.status === 'reply') this.#reached = true;
    this.#emitProbe(probe, {
      status: answer.status,
      from: answer.from,
      rttMs: Math.max(0, answer.rttNs) / 1e6,
      mark: answer.error?.mark ?? null,
      reason,
      mtu: answer.error?.mtu ?? null,
    });
    this.#roundMaybeDone(probe.round);
    // An answer can move the end of the path, and a round waiting on it goes on or ends now.
    if (!this.#inTick) this.#tick();
  }

  #emitProbe(probe: Probe, outcome: Omit<TraceProbeEvent, 'type' | 'round' | 'hop' | 'laterReplied'>): void {
    this.#emit({
      type: 'hop',
      round: probe.round.index,
      hop: probe.hop,
      ...outcome,
      laterReplied: outcome.status === 'silent' && probe.round.maxAnswered > probe.hop,
    });
  }

  /** Ends a round whose probes are all out and settled: its event, then the trace's end when it was the last. */
  #roundMaybeDone(round: Round): void {
    if (!round.sentAll || round.pending > 0 || this.#ended) return;
    const at = this.#rounds.indexOf(round);
    if (at < 0) return;
    this.#rounds.splice(at, 1);
    for (const sequence of round.sequences) this.#probes.delete(sequence);
    this.#roundsDone++;
    this.#emit({ type: 'round', round: round.index, hops: this.#table(), reached: this.#reached });
    if (this.#roundsStarted >= this.config.rounds && this.#rounds.length === 0) this.#end('count');
  }

  #afterChange(): void {
    if (this.#ended) return;
    this.#timer.arm(this.#nextWakeMs());
  }

  #nextWakeMs(): number {
    const c = this.config;
    let wake = Infinity;
    const sending = this.#sending();
    if (sending !== null) wake = probeDueMs(c, sending.startMs, sending.nextHop);
    else if (this.#roundsStarted < c.rounds) wake = this.#nextRoundMs;
    while (this.#expiryHead < this.#expiry.length && (this.#expiry[this.#expiryHead] as Probe).settled) this.#expiryHead++;
    const next = this.#expiry[this.#expiryHead];
    if (next !== undefined) wake = Math.min(wake, next.expiresMs);
    for (const probe of this.#near) if (!probe.settled) wake = Math.min(wake, probe.nearMs);
    return wake;
  }

  // ---- what the answers say ---------------------------------------------------------------

  #hop(hop: number): HopRecord {
    let record = this.#hops.get(hop);
    if (record === undefined) {
      record = new HopRecord(hop);
      this.#hops.set(hop, record);
    }
    return record;
  }

  /** The lowest hop whose latest answer ended the path there (the destination's reply, an error); null while none has. */
  #destinationHop(): number | null {
    let found: number | null = null;
    for (const record of this.#hops.values()) {
      if (record.lastAnswer === 'final' && (found === null || record.hop < found)) found = record.hop;
    }
    return found;
  }

  /** The hop table: from the first hop to the destination (or one past the last that answered). */
  #table(): TraceHop[] {
    const c = this.config;
    let lastAnswered = 0;
    for (const record of this.#hops.values()) if (record.received > 0 && record.hop <= c.maxHops) lastAnswered = Math.max(lastAnswered, record.hop);
    const last = lastHopShown(c, this.#destinationHop(), lastAnswered);
    const records: HopRecord[] = [];
    for (let hop = c.firstHop; hop <= last; hop++) {
      const record = this.#hops.get(hop);
      if (record !== undefined) records.push(record);
    }
    const lost = pathLoss(records);
    return records.map((record, i) => record.view(lost[i] as number));
  }

  // ---- the end ----------------------------------------------------------------------------

  #end(end: TraceSummary['end']): void {
    if (this.#ended) return;
    const summary = this.snapshot(end);
    this.#ended = true;
    this.#timer.cancel();
    this.#probes.clear();
    this.#expiry = [];
    this.#expiryHead = 0;
    this.#near = [];
    this.#emit({ type: 'summary', summary });
    this.#onEnd(summary);
  }
}

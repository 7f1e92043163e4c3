import type { ValidatedOptions } from '../options/validate-options.js';
import type { Clock } from '../pinger/clock.js';
import type { DropsEvent, PingEvent, TargetEvent } from '../pinger/ping-event.js';
import type { RatePace } from '../pinger/rate-gate.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import type { RunningSession } from '../pinger/run-session.js';
import { engineFor, idleSummary, startTargets } from '../runtime/run-targets.js';
import { IntervalCounts } from './interval-counts.js';

// A session tells targets apart by their address (the replies carry nothing else that is
// theirs), so two targets with one address (two names for it, or the same line twice in a
// file) go to different sessions: lane 0 takes every target whose address is not in it yet,
// lane 1 the second target with an address, and so on. Lanes share one --rate pace, and each
// has its own cookie, so no reply is ever counted for the wrong one. Past MAX_LANES copies of
// one address in flight, the next waits for one of them to finish.
const MAX_LANES = 16;

/**
 * Targets waiting for their first probe, per lane, at which the feed is asked for more. Small
 * on purpose: a target read far ahead of its send outlives the young generation's collections
 * and is promoted to the old one; read-ahead of 512 took a /16 sweep from 70 to 100 MB of RSS.
 */
export const LOW_WATER = 64;

/** A target of the run, as the lanes know it while it is in one. */
export interface LaneEntry {
  /** Position in the input, from 0. */
  readonly index: number;
  readonly target: string;
  readonly address: string;
  /** Its interval report counts, when the run reports. */
  readonly counts: IntervalCounts | null;
}

/** A target handed to the lanes. */
export interface LaneTarget {
  readonly index: number;
  readonly resolved: ResolvedTarget;
}

/** What the lanes are made of. */
export interface LanesOptions {
  options: ValidatedOptions;
  /** Per-probe events are wanted (else only summaries). */
  detail: boolean;
  /** Keep IntervalCounts per target. */
  counts: boolean;
  /** Hears every event with the entry of its target; a 'summary' is the target's last. */
  onEvent: (event: TargetEvent, entry: LaneEntry) => void;
  /** Hears the kernel's drops at a socket of the lanes: about no one target. */
  onDrops: (event: DropsEvent) => void;
  /** Targets waiting ran low, or a held one found its lane: the feed may add more. */
  onRoom: () => void;
  /** The lanes take no more targets (the deadline came, the signal aborted, a lane failed); once. */
  onClose: () => void;
}

interface Lane {
  readonly running: RunningSession;
  readonly byAddress: Map<string, LaneEntry>;
  batch: ResolvedTarget[];
  ended: boolean;
}

/**
 * The sessions of one pingEach run: targets are added one by one, handed to the sessions in
 * batches (flush()), and reported through onEvent with their input index.
 */
export class SweepLanes {
  readonly #options: LanesOptions;
  readonly #lanes: Lane[] = [];
  readonly #pace: RatePace = { slotMs: -Infinity };
  readonly #clock: Clock;
  readonly #startMs: number;
  // Targets whose address is in every lane, waiting by address.
  readonly #held = new Map<string, LaneTarget[]>();
  #heldCount = 0;
  #inputEnded = false;
  #stopped = false;
  #closed = false;
  #live = 0;
  #failure: unknown = null;
  #settle!: () => void;
  #fail!: (error: unknown) => void;
  /** Resolves once every lane ended (after endInput() or stop()); rejects with the first failure of one. */
  readonly done: Promise<void>;

  constructor(options: LanesOptions) {
    this.#options = options;
    this.#clock = engineFor(options.options).clock;
    this.#startMs = this.#clock.now();
    this.done = new Promise<void>((resolve, reject) => {
      this.#settle = resolve;
      this.#fail = reject;
    });
    // A failure is reported through done; nobody may be listening yet.
    this.done.catch(() => {});
  }

  /** Targets handed over and not sent yet, held ones included. */
  get waiting(): number {
    let n = this.#heldCount;
    for (const lane of this.#lanes) n += lane.running.session.waiting + lane.batch.length;
    return n;
  }

  /** True once the lanes take no more targets: stopped, failed, or past the run's deadline. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Every target in a lane now, in no particular order. */
  *entries(): Generator<LaneEntry> {
    for (const lane of this.#lanes) yield* lane.byAddress.values();
  }

  /** Adds a target; it reaches its session at the next flush(). */
  add(target: LaneTarget): void {
    const address = target.resolved.address;
    for (let i = 0; i < MAX_LANES; i++) {
      const lane = this.#lanes[i] ?? this.#open();
      if (lane.byAddress.has(address)) continue;
      this.#enter(lane, target);
      return;
    }
    const queue = this.#held.get(address);
    if (queue === undefined) this.#held.set(address, [target]);
    else queue.push(target);
    this.#heldCount++;
  }

  /** Hands the targets added since the last flush to their sessions. Throws when a session cannot take a family (no socket for it). */
  flush(): void {
    for (const lane of this.#lanes) {
      if (lane.batch.length === 0) continue;
      const batch = lane.batch;
      lane.batch = [];
      if (lane.running.session.add(batch)) continue;
      // The session takes no more (the run's deadline came, or it was stopped): these end
      // without a probe, as the targets it had not reached did.
      this.#close();
      const end = this.#stopped ? 'stopped' : 'deadline';
      for (const t of batch) this.#onEvent(lane, { type: 'summary', target: t.target, address: t.address, summary: idleSummary(t, end) });
    }
  }

  /** No more targets will be added: the lanes end once theirs (and those held) are done. */
  endInput(): void {
    this.#inputEnded = true;
    this.#endIfDone();
  }

  /** Takes back the targets held for a lane (none will get one now): they never reached a session. */
  dropHeld(): LaneTarget[] {
    const held = [...this.#held.values()].flat();
    this.#held.clear();
    this.#heldCount = 0;
    this.#endIfDone();
    return held;
  }

  /** Ends every target in a session now ('stopped'), and takes no more. Call dropHeld() first: held targets are dropped. */
  stop(): void {
    this.#stopped = true;
    this.#closed = true;
    this.#held.clear();
    this.#heldCount = 0;
    this.flush();
    for (const lane of this.#lanes) lane.running.session.stop();
    this.#inputEnded = true;
    this.#endIfDone();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.onClose();
  }

  #enter(lane: Lane, target: LaneTarget): void {
    const { resolved, index } = target;
    lane.byAddress.set(resolved.address, {
      index,
      target: resolved.target,
      address: resolved.address,
      counts: this.#options.counts ? new IntervalCounts() : null,
    });
    lane.batch.push(resolved);
  }

  #open(): Lane {
    const validated = this.#options.options;
    // The run's deadline counts from its start, not from this lane's.
    const deadlineMs = validated.session.deadlineMs;
    const options =
      deadlineMs === null || this.#lanes.length === 0
        ? validated
        : { ...validated, session: { ...validated.session, deadlineMs: Math.max(0, deadlineMs - (this.#clock.now() - this.#startMs)) } };
    const byAddress = new Map<string, LaneEntry>();
    const running = startTargets([], options, {
      emit: (event) => this.#onEvent(lane, event),
      detail: this.#options.detail,
      retain: false,
      feed: { open: true, onLow: this.#options.onRoom, lowWater: LOW_WATER, pace: this.#pace },
    });
    const lane: Lane = { running, byAddress, batch: [], ended: false };
    this.#lanes.push(lane);
    this.#live++;
    running.done.then(
      () => this.#laneEnded(lane),
      (error: unknown) => {
        this.#failure ??= error;
        this.#laneEnded(lane);
      },
    );
    if (this.#inputEnded) running.session.endInput();
    return lane;
  }

  #onEvent(lane: Lane, event: PingEvent): void {
    if (event.type === 'drops') {
      this.#options.onDrops(event);
      return;
    }
    const entry = lane.byAddress.get(event.address);
    if (entry === undefined) return;
    entry.counts?.note(event);
    this.#options.onEvent(event, entry);
    if (event.type !== 'summary') return;
    lane.byAddress.delete(event.address);
    const queue = this.#held.get(event.address);
    if (queue === undefined) return;
    // A target that waited for a lane with its address free takes this one.
    const next = queue.shift() as LaneTarget;
    if (queue.length === 0) this.#held.delete(event.address);
    this.#heldCount--;
    this.#enter(lane, next);
    this.flush();
    this.#options.onRoom();
    this.#endIfDone();
  }

  #laneEnded(lane: Lane): void {
    if (lane.ended) return;
    lane.ended = true;
    this.#live--;
    // A lane ends before its input only at the deadline, on abort, or failing.
    if (!this.#inputEnded) this.#close();
    if (this.#failure !== null && !this.#stopped) this.stop();
    this.#endIfDone();
  }

  #endIfDone(): void {
    if (this.#inputEnded && this.#heldCount === 0) for (const lane of this.#lanes) lane.running.session.endInput();
    if (!this.#inputEnded || this.#live > 0) return;
    if (this.#failure !== null) this.#fail(this.#failure);
    else this.#settle();
  }
}

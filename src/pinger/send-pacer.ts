import type { Clock } from './clock.js';

/** The bounds of a SendPacer. */
export interface PacerLimits {
  /** Most probes awaiting their answer at once, over every session of the engine. */
  maxInFlight: number;
  /** Most bytes of replies those probes may bring back at once (the receive queue's share), or Infinity. */
  maxInFlightBytes: number;
  /**
   * Most probes sent and not yet answered since the pacer last made senders wait for a turn of
   * the event loop: a burst beyond it waits until replies have been read.
   */
  maxBurst: number;
  /**
   * Most probes handed to a socket's thread to send (a sweep's batches) and not reported yet;
   * default Infinity. Sessions wait beyond it: the thread's queue stays short, and so does
   * the number of targets a sweep keeps in memory at once.
   */
  maxHandedOver?: number;
}

/** Someone waiting for room to send: called once, on a later turn of the event loop. */
export type PacerWaiter = () => void;

/**
 * The engine's one pacer: every session asks it how many probes may go before it sends, tells
 * it what went and what came back (answered, timed out, errored, forgotten), and waits in line
 * when there is no room. It keeps the probes in flight within what the receive path can hold
 * (a count, and the bytes their replies take in the kernel's receive queue), and spreads a
 * burst over turns of the event loop, so that replies are read between them. A session's own
 * pacing (interval, preload, flood, rate) comes first: the pacer only bounds and spreads.
 *
 * Waiting sessions are woken in the order they came, on a turn of their own (never inside
 * the call that freed the room), and one that still has probes to send gets back in line at
 * the end: many sessions share the room in turn.
 */
export class SendPacer {
  readonly #clock: Clock;
  readonly #limits: PacerLimits;
  #inFlight = 0;
  #inFlightBytes = 0;
  #burst = 0;
  #handedOver = 0;
  // A Map keeps insertion order: first come, first woken, and leaving the line is O(1). The
  // value is the reply size of the waiter's probes.
  readonly #waiting = new Map<PacerWaiter, number>();
  #wakeArmed = false;
  readonly #onTurn = (): void => this.#turn();

  constructor(clock: Clock, limits: PacerLimits) {
    this.#clock = clock;
    this.#limits = { ...limits };
  }

  /** Probes awaiting their answer now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The bounds in force. */
  get limits(): Readonly<PacerLimits> {
    return this.#limits;
  }

  /** Bounds the bytes of replies in flight (the engine does, as it learns its sockets' receive queues). */
  setInFlightBytes(bytes: number): void {
    this.#limits.maxInFlightBytes = bytes;
    if (this.#waiting.size > 0) this.#wakeIfRoom();
  }

  /** How many probes whose replies take `replyBytes` each may go now (0: wait). */
  available(replyBytes: number): number {
    return Math.min(this.#roomInFlight(replyBytes), this.#limits.maxBurst - this.#burst);
  }

  /** `n` probes whose replies take `replyBytes` each went to a socket's thread to send: in flight (and in the burst) from now on. */
  handedOver(n: number, replyBytes: number): void {
    this.#handedOver += n;
    this.sent(n, replyBytes);
  }

  /**
   * The report of `n` probes handed over came, and `counted` of them were counted as sent by
   * their session: those stay in flight until settled(); the others leave it now. The burst
   * is the hand-over's turn's, and is left alone.
   */
  reported(n: number, counted: number, replyBytes: number): void {
    this.#handedOver = Math.max(0, this.#handedOver - n);
    const gone = Math.max(0, n - counted);
    this.#inFlight = Math.max(0, this.#inFlight - gone);
    this.#inFlightBytes = Math.max(0, this.#inFlightBytes - gone * replyBytes);
    if (this.#waiting.size > 0) this.#wakeIfRoom();
  }

  /** `n` probes whose replies take `replyBytes` each went out. */
  sent(n: number, replyBytes: number): void {
    this.#inFlight += n;
    this.#inFlightBytes += n * replyBytes;
    this.#burst += n;
  }

  /** `n` probes of `replyBytes` each are no longer awaited (answered, timed out, errored, forgotten). */
  settled(n: number, replyBytes: number): void {
    if (n <= 0) return;
    this.#inFlight = Math.max(0, this.#inFlight - n);
    this.#inFlightBytes = Math.max(0, this.#inFlightBytes - n * replyBytes);
    this.#burst = Math.max(0, this.#burst - n);
    if (this.#waiting.size > 0) this.#wakeIfRoom();
  }

  /**
   * Waits for room for probes of `replyBytes`: `waiter` is called once, on a later turn, when
   * there is some. Waiting again moves it to the end of the line.
   */
  wait(waiter: PacerWaiter, replyBytes: number): void {
    this.#waiting.delete(waiter);
    this.#waiting.set(waiter, replyBytes);
    this.#wakeIfRoom();
  }

  /** Leaves the line (a session that ended). */
  cancel(waiter: PacerWaiter): void {
    this.#waiting.delete(waiter);
  }

  // Room for probes in flight, whatever the burst; a reply larger than the whole byte budget
  // still goes, alone.
  #roomInFlight(replyBytes: number): number {
    const l = this.#limits;
    let room = Math.min(l.maxInFlight - this.#inFlight, (l.maxHandedOver ?? Infinity) - this.#handedOver);
    if (l.maxInFlightBytes !== Infinity) {
      room = Math.min(room, Math.floor((l.maxInFlightBytes - this.#inFlightBytes) / replyBytes));
      if (room <= 0 && this.#inFlight === 0) room = 1;
    }
    return room > 0 ? room : 0;
  }

  // A turn is worth arming when the first in line has room in flight: then only the burst (which
  // the turn starts over) can hold it back. Without room, settled() comes back here as replies
  // are counted; arming anyway would spin through turns that wake nobody.
  #wakeIfRoom(): void {
    if (this.#wakeArmed) return;
    const first = this.#waiting.values().next();
    if (first.done === true || this.#roomInFlight(first.value) === 0) return;
    this.#wakeArmed = true;
    this.#clock.setTimer(this.#onTurn, 0);
  }

  // A new turn of the event loop: the replies to the burst were read before it (libuv polls
  // before it runs immediates), so the burst starts over; then those waiting go in turn while
  // there is room. One that could not send all it had waits again, at the end of the line.
  #turn(): void {
    this.#wakeArmed = false;
    this.#burst = 0;
    // Only those in line now: one woken that waits again is at the end, for the next turn.
    let turns = this.#waiting.size;
    for (const [waiter, replyBytes] of this.#waiting) {
      if (turns-- === 0 || this.available(replyBytes) === 0) break;
      this.#waiting.delete(waiter);
      waiter();
    }
    if (this.#waiting.size > 0) this.#wakeIfRoom();
  }
}

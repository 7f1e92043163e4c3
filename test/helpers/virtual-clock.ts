import type { Clock, TimerHandle } from '../../src/pinger/clock.js';

interface Timer extends TimerHandle {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers run in time order (ties in creation order)
 * as `advance` passes them, so a whole run of the pinger takes no real time.
 */
export class VirtualClock implements Clock {
  #now = 0;
  #seq = 0;
  #timers: Timer[] = [];
  readonly #lateMs: number | null;
  /** How many timers were ever set (to show there is no timer per probe). */
  timersSet = 0;

  /**
   * @param options.lateMs when set, timers fire as Node's do at their worst: a positive delay
   *   is rounded up to whole milliseconds (at least 1), as libuv counts them, and then fires
   *   this many milliseconds late. Default: every timer fires exactly when due.
   */
  constructor(options: { lateMs?: number } = {}) {
    this.#lateMs = options.lateMs ?? null;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, delayMs: number): TimerHandle {
    const wait = this.#lateMs !== null && delayMs > 0 ? Math.max(1, Math.ceil(delayMs)) + this.#lateMs : Math.max(0, delayMs);
    const timer: Timer = { at: this.#now + wait, seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    this.timersSet++;
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    (handle as Timer).cancelled = true;
  }

  /** Pending (not cancelled) timers. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      let next: Timer | undefined;
      for (const t of this.#timers) if (t.at <= end && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (next === undefined) break;
      this.#now = Math.max(this.#now, next.at);
      next.cancelled = true;
      next.fn();
    }
    this.#now = end;
  }

  /** Steps the clock without running timers (a frozen event loop). */
  jump(ms: number): void {
    this.#now += ms;
  }

  /** Advances to the next pending timer and runs it (and any due with it); false when none is pending. */
  advanceToNext(): boolean {
    const live = this.#timers.filter((t) => !t.cancelled);
    if (live.length === 0) return false;
    let at = Infinity;
    for (const t of live) if (t.at < at) at = t.at;
    this.advance(Math.max(0, at - this.#now));
    return true;
  }

  /** Advances until no timer is pending, at most `limitMs`; returns the time spent. */
  runAll(limitMs = 1e9): number {
    const start = this.#now;
    while (this.pending > 0 && this.#now - start < limitMs) {
      const next = Math.min(...this.#timers.filter((t) => !t.cancelled).map((t) => t.at));
      this.advance(Math.max(0, next - this.#now));
    }
    return this.#now - start;
  }
}

import type { Clock, TimerHandle } from './clock.js';

/**
 * The one timer of a session (never one per probe): wakes the loop at a time, or as soon as the
 * event loop allows. At most one timer and one immediate are pending. A timer that would fire
 * earlier than needed is left alone (the wake-up re-arms), so most sends and replies cost no
 * timer call.
 */
export class WakeTimer {
  readonly #clock: Clock;
  readonly #onWake: () => void;
  #timer: TimerHandle | null = null;
  #timerAtMs = Infinity;
  #immediate: TimerHandle | null = null;
  // Made once, so arming allocates no closure.
  readonly #fromTimer = (): void => {
    this.#timer = null;
    this.#timerAtMs = Infinity;
    this.#onWake();
  };
  readonly #fromImmediate = (): void => {
    this.#immediate = null;
    this.#onWake();
  };

  /** @param onWake called at each wake-up; it re-arms with arm() if it wants another */
  constructor(clock: Clock, onWake: () => void) {
    this.#clock = clock;
    this.#onWake = onWake;
  }

  /** Makes sure the loop wakes at `atMs` (clock ms) or earlier; at once when that is now or past. Infinity: no wake-up needed. */
  arm(atMs: number): void {
    if (!Number.isFinite(atMs)) return;
    const delay = atMs - this.#clock.now();
    if (delay <= 0) {
      this.#immediate ??= this.#clock.setTimer(this.#fromImmediate, 0);
      return;
    }
    if (this.#timer !== null) {
      if (this.#timerAtMs <= atMs) return;
      this.#clock.clearTimer(this.#timer);
    }
    this.#timerAtMs = atMs;
    this.#timer = this.#clock.setTimer(this.#fromTimer, delay);
  }

  /** Cancels what is pending. */
  cancel(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    if (this.#immediate !== null) this.#clock.clearTimer(this.#immediate);
    this.#timer = null;
    this.#timerAtMs = Infinity;
    this.#immediate = null;
  }
}

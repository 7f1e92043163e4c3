import { performance } from 'node:perf_hooks';

/** A timer handle returned by `Clock.setTimer`. */
export interface TimerHandle {
  /** Lets the process exit while the timer is pending (no-op on virtual clocks). */
  unref?(): void;
}

/**
 * Time source and timers for the scheduling loop, injected so the loop can run on a virtual
 * clock in tests. `now()` is monotonic milliseconds (never the wall clock, which may jump);
 * it schedules sends and timeouts only: RTTs come from the addon's stamps.
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional). */
  now(): number;
  /** Calls `fn` after `delayMs` (0 or less: as soon as the event loop allows). */
  setTimer(fn: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

class ImmediateHandle implements TimerHandle {
  constructor(readonly immediate: NodeJS.Immediate) {}
  unref(): void {
    this.immediate.unref();
  }
}

/** The real clock: performance.now() (CLOCK_MONOTONIC, like the addon's stamps) and Node timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, delayMs) {
    // setTimeout rounds up to whole milliseconds and never fires before 1 ms; a due send
    // should not wait that long, so "now" goes through setImmediate.
    if (delayMs <= 0) return new ImmediateHandle(setImmediate(fn));
    // Node fires longer delays after 1 ms; the loop re-arms itself when it wakes early.
    return setTimeout(fn, Math.min(delayMs, 2147483647));
  },
  clearTimer(handle) {
    if (handle instanceof ImmediateHandle) clearImmediate(handle.immediate);
    else clearTimeout(handle as NodeJS.Timeout);
  },
};

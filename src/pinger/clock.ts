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
  /**
   * Optional: the CLOCK_MONOTONIC nanosecond (the clock of the addon's stamps) of clock time
   * `ms`; without it, `ms * 1e6` (a virtual clock, whose fake stamps are that).
   */
  monotonicNs?(ms: number): number;
}

class ImmediateHandle implements TimerHandle {
  constructor(readonly immediate: NodeJS.Immediate) {}
  unref(): void {
    this.immediate.unref();
  }
}

// performance.now() counts from the process's start on CLOCK_MONOTONIC, as hrtime does from
// the machine's: the difference is fixed.
let monotonicOffsetNs: number | undefined;

/** The real clock: performance.now() (CLOCK_MONOTONIC, like the addon's stamps) and Node timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  monotonicNs(ms) {
    monotonicOffsetNs ??= Number(process.hrtime.bigint()) - performance.now() * 1e6;
    return monotonicOffsetNs + ms * 1e6;
  },
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

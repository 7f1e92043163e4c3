/** A timer handle returned by `Clock.setTimer`. */
export interface TimerHandle {
  /** Lets the process exit while the timer is pending (no-op on virtual clocks). */
  unref?(): void;
}

/**
 * Time source and timers for the scheduling loop, injected so the loop can run on a virtual
 * clock in tests. `now()` is monotonic milliseconds (never the wall clock, which may jump);
 * it schedules sends and timeouts only: RTTs come from the addon's stamps. `now() * 1e6` is
 * the clock's time in the addon's stamps' nanoseconds: CLOCK_MONOTONIC for the real clock, and
 * a virtual clock's fake stamps are made the same way.
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

/**
 * CLOCK_MONOTONIC in milliseconds (fractional), the clock of the addon's stamps: libuv's
 * hrtime reads it. Not performance.now(), whose node:perf_hooks costs a millisecond of every
 * start and which counts from another origin.
 */
export function monotonicMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/** The real clock: monotonicMs() and Node timers. */
export const realClock: Clock = {
  now: monotonicMs,
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

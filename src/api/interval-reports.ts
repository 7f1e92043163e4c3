import type { Clock, TimerHandle } from '../pinger/clock.js';
import type { IntervalCounts } from './interval-counts.js';
import type { IntervalEvent } from './interval-event.js';

/** A target as the reports see it. */
interface Reported {
  readonly index: number;
  readonly target: string;
  readonly address: string;
  readonly counts: IntervalCounts | null;
}

/**
 * The reporting clock of a run: every `everyMs` from `startMs` (drift-free: a late tick does
 * not move the next), one IntervalEvent per target in flight that has sent, in input order.
 */
export class IntervalReports {
  readonly #clock: Clock;
  readonly #everyMs: number;
  #dueMs: number;
  #handle: TimerHandle | null = null;
  #count = 0;
  readonly #tick: () => void;

  constructor(
    clock: Clock,
    startMs: number,
    everyMs: number,
    targets: () => Iterable<Reported>,
    cumulative: boolean,
    intervalMs: number,
    onInterval: (event: IntervalEvent) => void,
  ) {
    this.#clock = clock;
    this.#everyMs = everyMs;
    this.#dueMs = startMs + everyMs;
    this.#tick = () => {
      const due = [...targets()].filter((t) => t.counts?.started === true).sort((a, b) => a.index - b.index);
      const report = ++this.#count;
      for (const t of due) onInterval((t.counts as IntervalCounts).report(t, report, cumulative, intervalMs));
      this.#dueMs += this.#everyMs;
      this.#arm();
    };
    this.#arm();
  }

  #arm(): void {
    this.#handle = this.#clock.setTimer(this.#tick, Math.max(0, this.#dueMs - this.#clock.now()));
    // The run's sockets keep the process alive while it runs; the reports alone must not.
    this.#handle.unref?.();
  }

  /** No more reports. */
  cancel(): void {
    if (this.#handle !== null) this.#clock.clearTimer(this.#handle);
    this.#handle = null;
  }
}

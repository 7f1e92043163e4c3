import { RttStatistics } from './rtt-statistics.js';
import type { TargetProgress } from './completion.js';
import type { DueItem } from './due-heap.js';
import type { PacedTarget } from './pacing.js';
import type { PingSummary } from './ping-event.js';
import type { ResolvedTarget } from './resolved-target.js';

/** The per-target state of a session: counters, statistics, its place in the send schedule. */
export class TargetState implements DueItem, PacedTarget, TargetProgress {
  readonly index: number;
  readonly order: number;
  readonly target: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly scopeId: number;
  readonly anySource: boolean;

  dueMs = 0;
  heapIndex = -1;
  /** Next wire sequence to try (1 first, as ping numbers them). */
  nextSequence = 1;
  transmitted = 0;
  received = 0;
  duplicates = 0;
  corrupted = 0;
  errors = 0;
  late = 0;
  /** Probes sent and not yet answered, errored or timed out. */
  outstanding = 0;
  /** Consecutive ENOBUFS/EAGAIN failures, for the send back-off. */
  busyFailures = 0;
  /** Clock time of the first send (ms), or -1. */
  firstSendMs = -1;
  /** Clock time of the latest send (ms), or -1. */
  lastSendMs = -1;
  /** All probes are sent; the target waits for the last answers until dueMs. */
  lingering = false;
  done = false;
  end: PingSummary['end'] = 'count';
  #stats: RttStatistics | null = null;

  /** RTT statistics, created with the first sample (most targets of a sweep have one or none). */
  get stats(): RttStatistics {
    this.#stats ??= new RttStatistics();
    return this.#stats;
  }

  /** The RTT summary, null before any sample, without creating the statistics. */
  rttSummary(): ReturnType<RttStatistics['summary']> {
    return this.#stats === null ? null : this.#stats.summary();
  }

  /** iputils' smoothed RTT times 8, in microseconds; 0 before any sample. */
  get smoothedRttTimes8Us(): number {
    return this.#stats === null ? 0 : this.#stats.ewmaTimes8Us;
  }

  /** The longest RTT so far, ms; 0 before any sample. */
  get maxRttMs(): number {
    return this.#stats === null ? 0 : this.#stats.maxMs;
  }

  /** Probe `sequence` counts as sent at `nowMs` (clock ms), whether it left or failed for good. */
  countSent(sequence: number, nowMs: number): void {
    this.nextSequence = sequence + 1;
    this.transmitted++;
    if (this.firstSendMs < 0) this.firstSendMs = nowMs;
    this.lastSendMs = nowMs;
  }

  constructor(index: number, resolved: ResolvedTarget) {
    this.index = index;
    this.order = index;
    this.target = resolved.target;
    this.address = resolved.address;
    this.family = resolved.family;
    this.scopeId = resolved.scopeId;
    this.anySource = resolved.anySource === true;
  }

  /** The summary as of now; `endMs` is the clock time the run ended (or now). */
  summary(endMs: number): PingSummary {
    const loss = this.transmitted > 0 ? ((this.transmitted - this.received) / this.transmitted) * 100 : 0;
    return {
      target: this.target,
      address: this.address,
      family: this.family,
      transmitted: this.transmitted,
      received: this.received,
      duplicates: this.duplicates,
      corrupted: this.corrupted,
      errors: this.errors,
      late: this.late,
      loss,
      rtt: this.rttSummary(),
      elapsedMs: this.firstSendMs < 0 ? 0 : Math.max(0, endMs - this.firstSendMs),
      sendSpanMs: this.firstSendMs < 0 ? 0 : this.lastSendMs - this.firstSendMs,
      end: this.end,
    };
  }
}

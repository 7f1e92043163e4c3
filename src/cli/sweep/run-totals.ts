import type { PingSummary } from '../../index.js';
import type { RunTotals } from './fping-text.js';

/**
 * The totals of a sweep (fping -s), added up from the targets' summaries as they come: a few
 * numbers, whatever the number of targets.
 */
export class TotalsCounter {
  readonly #totals: RunTotals = { targets: 0, alive: 0, unreachable: 0, unknown: 0, timeouts: 0, sent: 0, received: 0, otherIcmp: 0, rtt: null, elapsedMs: 0 };
  #rttSum = 0;
  #rttWeight = 0;

  /** Targets counted so far. */
  get targets(): number {
    return this.#totals.targets;
  }

  /** Of those, the ones that answered. */
  get alive(): number {
    return this.#totals.alive;
  }

  /** Of those, the names that did not resolve. */
  get unknown(): number {
    return this.#totals.unknown;
  }

  /** Counts one target's summary. */
  add(summary: PingSummary): void {
    const t = this.#totals;
    t.targets++;
    if (summary.end === 'unresolved') t.unknown++;
    else if (summary.received > 0) t.alive++;
    else t.unreachable++;
    t.sent += summary.transmitted;
    t.received += summary.received + summary.duplicates;
    t.otherIcmp += summary.errors;
    // A probe neither answered nor failed timed out (or was still out when the run was stopped).
    t.timeouts += Math.max(0, summary.transmitted - summary.received - summary.errors);
    if (summary.rtt === null) return;
    const weight = summary.received + summary.duplicates;
    t.rtt = { min: Math.min(t.rtt?.min ?? Infinity, summary.rtt.min), avg: 0, max: Math.max(t.rtt?.max ?? -Infinity, summary.rtt.max) };
    this.#rttSum += summary.rtt.avg * weight;
    this.#rttWeight += weight;
  }

  /** The totals of the run, which took `elapsedMs`. */
  totals(elapsedMs: number): RunTotals {
    const rtt = this.#totals.rtt === null ? null : { ...this.#totals.rtt, avg: this.#rttSum / this.#rttWeight };
    return { ...this.#totals, rtt, elapsedMs };
  }
}

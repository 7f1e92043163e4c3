import type { PingEvent } from '../pinger/ping-event.js';
import type { IntervalEvent } from './interval-event.js';

/** What a target's reports count, from its events. */
export class IntervalCounts {
  /** A probe was sent: the target is in the reports from now on. */
  started = false;
  #settled = 0;
  #received = 0;
  #rttSumMs = 0;
  #rttMinMs = Infinity;
  #rttMaxMs = -Infinity;

  /** Counts one event of the target. */
  note(event: PingEvent): void {
    switch (event.type) {
      case 'sent':
        this.started = true;
        return;
      case 'reply':
        this.#settled++;
        this.#received++;
        this.#rttSumMs += event.rttMs;
        if (event.rttMs < this.#rttMinMs) this.#rttMinMs = event.rttMs;
        if (event.rttMs > this.#rttMaxMs) this.#rttMaxMs = event.rttMs;
        return;
      case 'timeout':
        this.#settled++;
        return;
      case 'error':
        if (!event.advisory) this.#settled++;
        return;
      case 'send-error':
        if (!event.retried) {
          this.started = true;
          this.#settled++;
        }
        return;
      default:
    }
  }

  /**
   * The report of now, then (unless `cumulative`) counting starts again from zero.
   *
   * @param report which report of the run this is, from 1
   * @param intervalMs the target's interval between probes, ms (for outageMs)
   */
  report(target: { target: string; address: string; index: number }, report: number, cumulative: boolean, intervalMs: number): IntervalEvent {
    const transmitted = this.#settled;
    const received = this.#received;
    const event: IntervalEvent = {
      type: 'interval',
      target: target.target,
      address: target.address,
      index: target.index,
      report,
      cumulative,
      transmitted,
      received,
      loss: transmitted > 0 ? ((transmitted - received) / transmitted) * 100 : 0,
      rtt: received > 0 ? { min: this.#rttMinMs, avg: this.#rttSumMs / received, max: this.#rttMaxMs } : null,
      outageMs: (transmitted - received) * intervalMs,
    };
    if (!cumulative) {
      this.#settled = 0;
      this.#received = 0;
      this.#rttSumMs = 0;
      this.#rttMinMs = Infinity;
      this.#rttMaxMs = -Infinity;
    }
    return event;
  }
}

// What a sweep prints of each event and each target, as fping prints it (or as NDJSON lines):
// the per-probe lines of -c, ICMP errors on stderr, the statistics of each target once it is
// done, the -Q reports. It keeps only what the lines of the targets in flight need, except
// that the statistics of targets given on the command line wait for the end, as fping prints
// them: there are only as many as the user typed, and they come together after the probes.
import type { EachSummary, IntervalEvent, PingEvent } from '../../index.js';
import { escapeText } from '../../wording/escape-text.js';
import { eventJson, intervalJson } from '../format-json.js';
import type { Output } from '../output.js';
import type { CliOptions } from '../parse-args.js';
import {
  duplicateLine,
  icmpErrorLine,
  icmpErrorName,
  replyLine,
  reportHeading,
  rttListLine,
  statisticsLine,
  timedOutLine,
  timestampPrefix,
  type ProbeTally,
} from './fping-text.js';

/** What the lines of one target in flight need: its probes so far. */
interface Tally extends ProbeTally {
  /** Probes sent. */
  sent: number;
  /** Wire sequence of the last probe sent (sequences count up from 1 and wrap at 65536). */
  lastSequence: number;
  /** With --rtt-list: each probe's RTT, null without a reply. */
  rtts: (number | null)[] | null;
}

/** The probe number (0 for the first) that a reply or timeout with `sequence` answers: the latest one sent with it. */
function probeNumber(tally: Tally, sequence: number): number {
  return tally.sent - 1 - ((tally.lastSequence - sequence) & 0xffff);
}

/** Prints a sweep's events and summaries; see the file's comment. */
export class SweepPrinter {
  readonly #o: CliOptions;
  readonly #out: Output;
  readonly #intervalMs: number;
  /** Lines per probe (-c or --loop, not -q, not a list). */
  readonly perProbe: boolean;
  readonly #targetLines: boolean;
  readonly #showErrors: boolean;
  readonly #counted: boolean;
  readonly #width: number;
  // Per target in flight, only when its lines need the count of its probes.
  readonly #tallies: Map<number, Tally> | null;
  #statsShown = false;
  #reportShown = 0;
  // The statistics lines held for the end (operands only); null: printed as targets finish.
  readonly #held: string[] | null;

  /** @param intervalMs the interval between probes of a target, ms (for --outage) */
  constructor(options: CliOptions, out: Output, intervalMs: number) {
    this.#o = options;
    this.#out = out;
    this.#intervalMs = intervalMs;
    const listMode = options.alive || options.unreachable;
    this.#counted = options.count !== undefined || options.loop;
    this.perProbe = this.#counted && !options.quiet && !listMode && !options.json;
    this.#targetLines = this.#counted && !listMode && !options.json;
    this.#showErrors = !options.quiet && !options.json;
    this.#tallies = this.perProbe || options.rttList ? new Map() : null;
    // fping pads a target's lines to its longest name; only targets given on the command line
    // are all known in advance (a range or a file streams), so only they are padded.
    const operandsOnly = options.range === undefined && options.file === undefined;
    this.#width = operandsOnly ? Math.max(0, ...options.targets.map((t) => escapeText(t).length)) : 0;
    this.#held = operandsOnly && this.#targetLines ? [] : null;
  }

  /** True when the printer needs every event, not only the summaries. */
  get wantsEvents(): boolean {
    return this.#o.json || this.#tallies !== null || this.#showErrors;
  }

  #padded(target: string): string {
    return escapeText(target).padEnd(this.#width);
  }

  #prefix(): string {
    return this.#o.timestamp ? timestampPrefix(Date.now()) : '';
  }

  #tally(index: number): Tally {
    let t = this.#tallies?.get(index);
    if (t === undefined) {
      t = { sent: 0, lastSequence: 0, settled: 0, received: 0, rttSumMs: 0, rtts: this.#o.rttList ? [] : null };
      this.#tallies?.set(index, t);
    }
    return t;
  }

  /** One event of target `index` (summaries come through summary()). */
  event(event: PingEvent, index: number): void {
    const out = this.#out;
    if (this.#o.json) {
      // A 'drops' line is about a socket, not a target: it has no index.
      const line = event.type === 'summary' ? null : eventJson(event, Date.now(), event.type === 'drops' ? undefined : index);
      if (line !== null) out.line(line);
      return;
    }
    const counting = this.#tallies !== null;
    switch (event.type) {
      case 'sent': {
        if (!counting) return;
        const t = this.#tally(index);
        t.sent++;
        t.lastSequence = event.sequence;
        return;
      }
      case 'reply': {
        if (!counting) return;
        const t = this.#tally(index);
        t.settled++;
        t.received++;
        t.rttSumMs += event.rttMs;
        const probe = probeNumber(t, event.sequence);
        if (t.rtts !== null) t.rtts[probe] = event.rttMs;
        if (this.perProbe) out.line(`${this.#prefix()}${replyLine(this.#padded(event.target), probe, event.bytes, event.rttMs, t)}`);
        return;
      }
      case 'timeout': {
        if (!counting) return;
        const t = this.#tally(index);
        t.settled++;
        if (this.perProbe) out.line(`${this.#prefix()}${timedOutLine(this.#padded(event.target), probeNumber(t, event.sequence), t)}`);
        return;
      }
      case 'duplicate':
        if (this.perProbe) out.err(`${duplicateLine(this.#padded(event.target), probeNumber(this.#tally(index), event.sequence), event.bytes, event.rttMs)}\n`);
        return;
      case 'error':
        if (!event.advisory && counting) this.#tally(index).settled++;
        if (this.#showErrors) {
          const family = event.address.includes(':') ? 6 : 4;
          out.err(`${icmpErrorLine(icmpErrorName(family, event.icmpType, event.icmpCode), escapeText(event.from), escapeText(event.target))}\n`);
        }
        return;
      case 'send-error':
        if (event.retried) return;
        if (counting) this.#tally(index).settled++;
        if (this.#showErrors) out.err(`${escapeText(event.target)}: error while sending ping: ${event.message}\n`);
        return;
      default:
    }
  }

  /** One -Q report line; the first of each report comes after its heading, the local time. */
  interval(event: IntervalEvent): void {
    if (this.#o.json) {
      this.#out.line(intervalJson(event, Date.now()));
      return;
    }
    if (event.report !== this.#reportShown) {
      this.#reportShown = event.report;
      this.#out.err(`${this.perProbe ? '\n' : ''}${reportHeading(new Date())}\n`);
    }
    const outage = this.#o.outage ? { outageMs: event.outageMs } : {};
    this.#out.err(`${statisticsLine(this.#padded(event.target), { sent: event.transmitted, received: event.received, rtt: event.rtt, ...outage })}\n`);
  }

  // fping sets its statistics apart from the lines of the probes.
  #statistics(line: string): void {
    if (!this.#statsShown && this.perProbe) this.#out.err('\n');
    this.#statsShown = true;
    this.#out.err(`${line}\n`);
  }

  /** The run is over: the statistics held for the end. */
  end(): void {
    for (const line of this.#held?.splice(0) ?? []) this.#statistics(line);
  }

  /** A target is done: its line (is alive, a name of a list, or its statistics), in input order. */
  summary(summary: EachSummary, reachableOnly: boolean): void {
    const o = this.#o;
    const out = this.#out;
    const t = this.#tallies?.get(summary.index);
    this.#tallies?.delete(summary.index);
    const unresolved = summary.end === 'unresolved';
    if (unresolved && !o.json) out.error(summary.error ?? `${escapeText(summary.target)}: Name or service not known`);
    if (o.json) {
      out.line(eventJson({ type: 'summary', target: summary.target, address: summary.address, summary }, Date.now(), summary.index) as string);
      return;
    }
    if (unresolved) return;
    const alive = summary.received > 0;
    if (o.alive || o.unreachable) {
      if (alive === o.alive) out.line(escapeText(summary.target));
      return;
    }
    if (this.#targetLines) {
      const column = this.#padded(summary.target);
      let line: string;
      if (o.rttList) {
        const rtts = Array.from({ length: summary.transmitted }, (_, i) => t?.rtts?.[i] ?? null);
        line = rttListLine(column, rtts);
      } else {
        const outage = o.outage ? { outageMs: (summary.transmitted - summary.received) * this.#intervalMs } : {};
        line = statisticsLine(column, { sent: summary.transmitted, received: summary.received, rtt: summary.rtt, ...outage });
      }
      if (this.#held !== null) this.#held.push(line);
      else this.#statistics(line);
      return;
    }
    if (!this.#counted && !o.quiet && !reachableOnly) out.line(`${escapeText(summary.target)} is ${alive ? 'alive' : 'unreachable'}`);
  }
}

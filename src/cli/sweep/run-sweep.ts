// Many targets, as fping: over the shared sockets, streamed (targets are read as the sends
// need them and forgotten once reported), each target's lines in the order given.
import { performance } from 'node:perf_hooks';
import { pingEach, type EachSummary, type IntervalEvent, type PingEvent, type PingOptions, type SocketSet } from '../../index.js';
import { defaultOf } from '../../options/option-table.js';
import { escapeText } from '../../wording/escape-text.js';
import type { CliOptions } from '../parse-args.js';
import { commonPingOptions } from '../common-options.js';
import { eventJson, intervalJson, reachableJson, statsJson, sweepStartJson } from '../format-json.js';
import type { Output } from '../output.js';
import type { SignalHub } from '../signal-hub.js';
import { UsageError } from '../usage-error.js';
import {
  duplicateLine,
  icmpErrorLine,
  icmpErrorName,
  reachableLine,
  replyLine,
  reportHeading,
  rttListLine,
  statisticsLine,
  timedOutLine,
  timestampPrefix,
  totalsLines,
  type ProbeTally,
  type RunTotals,
} from './fping-text.js';
import { sweepTargets } from './sweep-targets.js';

/** Runs with at least this many targets get a progress bar (when it cannot mix with output). */
const PROGRESS_MIN_TARGETS = 100;

/**
 * Library options for a sweep, with fping's defaults from the option table: without -c,
 * reachability (one probe, and another after each timeout, up to --retries more); with -c,
 * exactly that many probes to each target; with --loop, probes until the end.
 */
function sweepOptions(options: CliOptions, sockets: SocketSet): PingOptions {
  const sweepDefault = (key: 'interval' | 'timeout' | 'rate' | 'retries'): number => defaultOf(key, 'sweep') as number;
  const counted =
    options.count !== undefined ? { count: options.count } : options.loop ? { count: Infinity } : { retries: options.retries ?? sweepDefault('retries') };
  return {
    ...commonPingOptions(options),
    ...counted,
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
    interval: options.intervalMs ?? sweepDefault('interval'),
    timeout: options.timeoutMs ?? sweepDefault('timeout'),
    rate: options.rate ?? sweepDefault('rate'),
    sockets,
  };
}

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

/**
 * Runs a sweep and prints as fping does (or NDJSON with --json). Exit status as fping: 0 when
 * every target answered, 1 when some did not, 2 when a name did not resolve (the others are
 * still pinged); with --reachable/--fast-reachable, 0 when enough answered, else 1.
 */
export async function runSweep(options: CliOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const { source, total } = await sweepTargets(options);
  if (total === 0) throw new UsageError('no targets (see rawping -h)');
  const json = options.json;
  const counted = options.count !== undefined || options.loop;
  const listMode = options.alive || options.unreachable;
  const threshold = options.reachable ?? options.fastReachable;
  const perProbe = counted && !options.quiet && !listMode && !json;
  const targetLines = counted && !listMode && !json;
  const showErrors = !options.quiet && !json;
  const runOptions = sweepOptions(options, sockets);
  const intervalMs = runOptions.interval as number;
  out.buffered = true;

  const showProgress = total !== null && out.stderrIsTty && !options.quiet && !json && total >= PROGRESS_MIN_TARGETS && (listMode || !out.stdout.isTTY);
  // cli-progress (and the readline it loads) only for runs that show a bar.
  const cliProgress = showProgress ? (await import('cli-progress')).default : null;
  const bar =
    cliProgress !== null
      ? new cliProgress.SingleBar(
          { format: 'rawping [{bar}] {value}/{total} targets, {alive} alive', stream: process.stderr, clearOnComplete: true, hideCursor: true, fps: 10 },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(total ?? 0, 0, { alive: 0 });

  if (json) out.line(sweepStartJson(total, Date.now()));
  let stop: (() => void) | null = null;
  signals.onInterrupt(() => stop?.());
  out.onClose(() => stop?.());

  const name = (target: string): string => escapeText(target);
  // fping pads a target's lines to its longest name; only targets given on the command line
  // are all known in advance (a range or a file streams), so only they are padded.
  const width = options.range === undefined && options.file === undefined ? Math.max(0, ...options.targets.map((t) => name(t).length)) : 0;
  const padded = (target: string): string => name(target).padEnd(width);
  const prefix = (): string => (options.timestamp ? timestampPrefix(Date.now()) : '');
  // Per target in flight, only when its lines need the count of its probes.
  const tallies = perProbe || options.rttList ? new Map<number, Tally>() : null;
  const tally = (index: number): Tally => {
    let t = tallies?.get(index);
    if (t === undefined) {
      t = { sent: 0, lastSequence: 0, settled: 0, received: 0, rttSumMs: 0, rtts: options.rttList ? [] : null };
      tallies?.set(index, t);
    }
    return t;
  };
  const fast = options.fastReachable;
  const answered = new Set<number>();
  let reachedEarly = 0;

  const onEvent = (event: PingEvent, index: number): void => {
    if (json) {
      const line = event.type === 'summary' ? null : eventJson(event, Date.now(), index);
      if (line !== null) out.line(line);
    }
    if (fast !== undefined && event.type === 'reply' && !answered.has(index)) {
      // fping -X: enough targets answered; the rest need not be waited for.
      answered.add(index);
      if (++reachedEarly >= fast) stop?.();
    }
    switch (event.type) {
      case 'sent': {
        if (tallies === null) return;
        const t = tally(index);
        t.sent++;
        t.lastSequence = event.sequence;
        return;
      }
      case 'reply': {
        if (tallies === null) return;
        const t = tally(index);
        t.settled++;
        t.received++;
        t.rttSumMs += event.rttMs;
        const probe = probeNumber(t, event.sequence);
        if (t.rtts !== null) t.rtts[probe] = event.rttMs;
        if (perProbe) out.line(`${prefix()}${replyLine(padded(event.target), probe, event.bytes, event.rttMs, t)}`);
        return;
      }
      case 'timeout': {
        if (tallies === null) return;
        const t = tally(index);
        t.settled++;
        if (perProbe) out.line(`${prefix()}${timedOutLine(padded(event.target), probeNumber(t, event.sequence), t)}`);
        return;
      }
      case 'duplicate':
        if (perProbe) out.err(`${duplicateLine(padded(event.target), probeNumber(tally(index), event.sequence), event.bytes, event.rttMs)}\n`);
        return;
      case 'error':
        if (!event.advisory && tallies !== null) tally(index).settled++;
        if (showErrors) {
          const family = event.address.includes(':') ? 6 : 4;
          out.err(`${icmpErrorLine(icmpErrorName(family, event.icmpType, event.icmpCode), escapeText(event.from), name(event.target))}\n`);
        }
        return;
      case 'send-error':
        if (event.retried) return;
        if (tallies !== null) tally(index).settled++;
        if (showErrors) out.err(`${name(event.target)}: error while sending ping: ${event.message}\n`);
        return;
      default:
    }
  };

  let reportShown = 0;
  const onInterval = (event: IntervalEvent): void => {
    if (json) {
      out.line(intervalJson(event, Date.now()));
      return;
    }
    if (event.report !== reportShown) {
      reportShown = event.report;
      out.err(`${perProbe ? '\n' : ''}${reportHeading(new Date())}\n`);
    }
    out.err(
      `${statisticsLine(padded(event.target), { sent: event.transmitted, received: event.received, rtt: event.rtt, ...(options.outage ? { outageMs: event.outageMs } : {}) })}\n`,
    );
  };

  const totals: RunTotals = { targets: 0, alive: 0, unreachable: 0, unknown: 0, timeouts: 0, sent: 0, received: 0, otherIcmp: 0, rtt: null, elapsedMs: 0 };
  let rttWeight = 0;
  let rttSum = 0;
  let statsShown = false;
  const startMs = performance.now();

  const onSummary = (summary: EachSummary): void => {
    totals.targets++;
    const alive = summary.received > 0;
    if (summary.end === 'unresolved') totals.unknown++;
    else if (alive) totals.alive++;
    else totals.unreachable++;
    totals.sent += summary.transmitted;
    totals.received += summary.received + summary.duplicates;
    totals.otherIcmp += summary.errors;
    totals.timeouts += Math.max(0, summary.transmitted - summary.received - summary.errors);
    if (summary.rtt !== null) {
      const weight = summary.received + summary.duplicates;
      const r = totals.rtt;
      totals.rtt = { min: Math.min(r?.min ?? Infinity, summary.rtt.min), avg: 0, max: Math.max(r?.max ?? -Infinity, summary.rtt.max) };
      rttSum += summary.rtt.avg * weight;
      rttWeight += weight;
    }
    bar?.increment(1, { alive: totals.alive });
    if (summary.end === 'unresolved' && !json) out.error(summary.error ?? `${name(summary.target)}: Name or service not known`);
    if (json) {
      out.line(eventJson({ type: 'summary', target: summary.target, address: summary.address, summary }, Date.now(), summary.index) as string);
      return;
    }
    const host = name(summary.target);
    if (options.alive) {
      if (alive) out.line(host);
    } else if (options.unreachable) {
      if (!alive && summary.end !== 'unresolved') out.line(host);
    } else if (targetLines && summary.end !== 'unresolved') {
      const t = tallies?.get(summary.index);
      const column = padded(summary.target);
      if (!statsShown) {
        statsShown = true;
        // fping sets its statistics apart from the lines of the probes.
        if (perProbe) out.err('\n');
      }
      if (options.rttList) {
        const rtts = Array.from({ length: summary.transmitted }, (_, i) => t?.rtts?.[i] ?? null);
        out.err(`${rttListLine(column, rtts)}\n`);
      } else {
        const outage = options.outage ? { outageMs: (summary.transmitted - summary.received) * intervalMs } : {};
        out.err(`${statisticsLine(column, { sent: summary.transmitted, received: summary.received, rtt: summary.rtt, ...outage })}\n`);
      }
    } else if (!counted && !options.quiet && threshold === undefined && summary.end !== 'unresolved') {
      out.line(`${host} is ${alive ? 'alive' : 'unreachable'}`);
    }
    tallies?.delete(summary.index);
  };

  const detail = json || perProbe || options.rttList || showErrors || fast !== undefined;
  try {
    for await (const summary of pingEach(source, {
      ...runOptions,
      order: 'input',
      onStart: (control) => {
        stop = control.stop;
        if (signals.interrupted) control.stop();
      },
      ...(detail ? { onEvent } : {}),
      ...(options.reportMs !== undefined ? { reportEvery: options.reportMs, cumulative: options.cumulative, onInterval } : {}),
    })) {
      onSummary(summary);
    }
  } finally {
    bar?.stop();
    signals.clear();
  }
  if (totals.targets === 0) throw new UsageError('no targets (see rawping -h)');

  totals.elapsedMs = performance.now() - startMs;
  if (totals.rtt !== null) totals.rtt.avg = rttSum / rttWeight;
  if (options.stats) {
    if (json) out.line(statsJson(totals, Date.now()));
    else out.err(`${totalsLines(totals).join('\n')}\n`);
  }
  const reachable = totals.alive;
  if (threshold !== undefined) {
    if (json) out.line(reachableJson(threshold, reachable, Date.now()));
    else out.line(reachableLine(threshold, reachable));
  }
  out.flush();
  if (threshold !== undefined) return reachable >= threshold ? 0 : 1;
  if (totals.unknown > 0) return 2;
  const complete = !signals.interrupted || (total !== null && totals.targets === total);
  return totals.alive === totals.targets && complete ? 0 : 1;
}

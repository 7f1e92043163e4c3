// Many targets, as fping: over the shared sockets, streamed (targets are read as the sends
// need them and forgotten once reported), each target's lines in the order given.
import { pingEach, type IntervalEvent, type PingEvent, type PingOptions, type SocketSet } from '../../index.js';
import { defaultOf } from '../../options/option-table.js';
import { monotonicMs } from '../../pinger/clock.js';
import type { CliOptions } from '../parse-args.js';
import { commonPingOptions } from '../common-options.js';
import { reachableJson, statsJson, sweepStartJson } from '../format-json.js';
import type { Output } from '../output.js';
import type { SignalHub } from '../signal-hub.js';
import { kernelDropsWarning } from '../../wording/kernel-drops.js';
import { UsageError } from '../usage-error.js';
import { reachableLine, totalsLines } from './fping-text.js';
import { TotalsCounter } from './run-totals.js';
import { SweepPrinter } from './sweep-printer.js';
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

/**
 * Runs a sweep and prints as fping does (or NDJSON with --json). Exit status as fping: 0 when
 * every target answered, 1 when some did not, 2 when a name did not resolve (the others are
 * still pinged); with --reachable/--fast-reachable, 0 when enough answered, else 1.
 */
export async function runSweep(options: CliOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const { source, total } = await sweepTargets(options);
  if (total === 0) throw new UsageError('no targets (see rawping -h)');
  const json = options.json;
  const listMode = options.alive || options.unreachable;
  const threshold = options.reachable ?? options.fastReachable;
  const runOptions = sweepOptions(options, sockets);
  const printer = new SweepPrinter(options, out, runOptions.interval as number);
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

  // fping -X: once enough targets answered, the rest need not be waited for. Counted at a
  // target's first reply; only targets in flight are remembered.
  const fast = options.fastReachable;
  const answered = new Set<number>();
  let answeredCount = 0;
  const onEvent = (event: PingEvent, index: number): void => {
    if (fast !== undefined) {
      if (event.type === 'reply' && !answered.has(index)) {
        answered.add(index);
        if (++answeredCount >= fast) stop?.();
      } else if (event.type === 'summary') answered.delete(index);
    }
    printer.event(event, index);
  };

  const totals = new TotalsCounter();
  const startMs = monotonicMs();
  try {
    for await (const summary of pingEach(source, {
      ...runOptions,
      order: 'input',
      onStart: (control) => {
        stop = control.stop;
        if (signals.interrupted) control.stop();
      },
      ...(printer.wantsEvents || fast !== undefined ? { onEvent } : {}),
      ...(options.reportMs !== undefined
        ? { reportEvery: options.reportMs, cumulative: options.cumulative, onInterval: (e: IntervalEvent) => printer.interval(e) }
        : {}),
    })) {
      totals.add(summary);
      bar?.increment(1, { alive: totals.alive });
      printer.summary(summary, threshold !== undefined);
    }
  } finally {
    bar?.stop();
    signals.clear();
  }
  if (totals.targets === 0) throw new UsageError('no targets (see rawping -h)');
  printer.end();

  if (options.stats) {
    const figures = totals.totals(monotonicMs() - startMs);
    if (json) out.line(statsJson(figures, Date.now()));
    else out.err(`${totalsLines(figures).join('\n')}\n`);
  }
  const reachable = totals.alive;
  if (threshold !== undefined) {
    if (json) out.line(reachableJson(threshold, reachable, Date.now()));
    else out.line(reachableLine(threshold, reachable));
  }
  // Replies the kernel discarded were counted as lost: say so, on stderr, in every output mode.
  const dropped = sockets.kernelDrops();
  if (dropped > 0) out.error(kernelDropsWarning(dropped));
  out.flush();
  if (threshold !== undefined) return reachable >= threshold ? 0 : 1;
  if (totals.unknown > 0) return 2;
  // Interrupted before every target was read: some were never pinged.
  const complete = !signals.interrupted || (total !== null && totals.targets === total);
  return totals.alive === totals.targets && complete ? 0 : 1;
}

// Many targets, as fping: over the shared sockets, one line per target as it finishes
// (or --alive / --unreachable lists), a summary table, and fping's exit status.
import { pingEach, type PingOptions, type PingSummary, type SocketSet } from '../../index.js';
import { defaultOf } from '../../options/option-table.js';
import { escapeText } from '../../wording/escape-text.js';
import type { CliOptions } from '../parse-args.js';
import { commonPingOptions } from '../common-options.js';
import { eventJson, sweepStartJson } from '../format-json.js';
import { formatPercentG } from '../format-text.js';
import { generateTargets } from './generate-targets.js';
import type { Output } from '../output.js';
import type { SignalHub } from '../signal-hub.js';
import { strerror } from '../../wording/strerror.js';
import { kernelDropsWarning } from '../../wording/kernel-drops.js';
import { UsageError } from '../usage-error.js';

/** Largest --file read, bytes: enough for millions of addresses, never the whole disk. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Runs with at least this many targets get a progress bar (when it cannot mix with output). */
const PROGRESS_MIN_TARGETS = 100;

async function readTargetsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_FILE_BYTES) throw new UsageError(`--file -: more than ${MAX_FILE_BYTES} bytes`);
        chunks.push(chunk as Buffer);
      }
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      const { readFile } = await import('node:fs/promises');
      const buffer = await readFile(path);
      if (buffer.length > MAX_FILE_BYTES) throw new UsageError(`--file ${escapeText(path)}: more than ${MAX_FILE_BYTES} bytes`);
      text = buffer.toString('utf8');
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UsageError(`--file ${escapeText(path)}: ${strerror(code)}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** The targets in command-line order (positional, then -g, then --file), duplicates removed. */
async function collectTargets(options: CliOptions): Promise<string[]> {
  const all = [...options.targets];
  if (options.range !== undefined) all.push(...generateTargets(options.range));
  if (options.file !== undefined) all.push(...(await readTargetsFile(options.file)));
  return [...new Set(all)];
}

/**
 * Library options for a sweep, with fping's defaults from the option table: without -c,
 * reachability (one probe, and another after each timeout, up to --retries more); with -c,
 * exactly that many probes to each target.
 */
function sweepOptions(options: CliOptions, sockets: SocketSet): PingOptions {
  const sweepDefault = (key: 'interval' | 'timeout' | 'rate' | 'retries'): number => defaultOf(key, 'sweep') as number;
  return {
    ...commonPingOptions(options),
    ...(options.count !== undefined ? { count: options.count } : { retries: options.retries ?? sweepDefault('retries') }),
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
    interval: options.intervalMs ?? sweepDefault('interval'),
    timeout: options.timeoutMs ?? sweepDefault('timeout'),
    rate: options.rate ?? sweepDefault('rate'),
    sockets,
  };
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(3);
}

/** The summary table: one row per target, in the order given. */
function summaryTable(summaries: PingSummary[]): string {
  const rows = summaries.map((s) => [
    escapeText(s.target, 64),
    String(s.transmitted),
    String(s.received),
    s.end === 'unresolved' ? '-' : `${formatPercentG(s.loss)}%`,
    ms(s.rtt?.min),
    ms(s.rtt?.avg),
    ms(s.rtt?.max),
    ms(s.rtt?.mdev),
  ]);
  const head = ['target', 'sent', 'recv', 'loss', 'min', 'avg', 'max', 'mdev'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[format(head), ...rows.map(format)].join('\n')}\n`;
}

/**
 * Runs a sweep. Exit status as fping: 0 when every target answered, 1 when some did not,
 * 2 when a name did not resolve (the others are still pinged).
 */
export async function runSweep(options: CliOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const targets = await collectTargets(options);
  if (targets.length === 0) throw new UsageError('no targets (see rawping -h)');
  const listMode = options.alive || options.unreachable;
  out.buffered = true;
  const showProgress = out.stderrIsTty && !options.quiet && !options.json && targets.length >= PROGRESS_MIN_TARGETS && (listMode || !out.stdout.isTTY);
  // cli-progress (and the readline it loads) only for runs that show a bar.
  const cliProgress = showProgress ? (await import('cli-progress')).default : null;
  const bar =
    cliProgress !== null
      ? new cliProgress.SingleBar(
          { format: 'rawping [{bar}] {value}/{total} targets, {alive} alive', stream: process.stderr, clearOnComplete: true, hideCursor: true, fps: 10 },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(targets.length, 0, { alive: 0 });

  if (options.json) out.line(sweepStartJson(targets.length, Date.now()));
  let stop: (() => void) | null = null;
  signals.onInterrupt(() => stop?.());
  out.onClose(() => stop?.());

  // Summaries are kept only for the table; a list run forgets each one once printed.
  const keepForTable = !options.json && !listMode;
  const byTarget = new Map<string, PingSummary>();
  let finished = 0;
  let alive = 0;
  let unresolved = 0;
  try {
    for await (const summary of pingEach(targets, {
      ...sweepOptions(options, sockets),
      onStart: (control) => {
        stop = control.stop;
        if (signals.interrupted) control.stop();
      },
      ...(options.json
        ? {
            // Summaries are printed below, with those of names that did not resolve.
            onEvent: (event) => {
              if (event.type === 'summary') return;
              const line = eventJson(event, Date.now());
              if (line !== null) out.line(line);
            },
          }
        : {}),
    })) {
      finished++;
      if (keepForTable) byTarget.set(summary.target, summary);
      if (summary.received > 0) alive++;
      bar?.increment(1, { alive });
      if (summary.end === 'unresolved') {
        unresolved++;
        if (!options.json) out.error(summary.error ?? `${escapeText(summary.target)}: Name or service not known`);
      }
      if (options.json) {
        out.line(eventJson({ type: 'summary', target: summary.target, address: summary.address, summary }, Date.now()) as string);
        continue;
      }
      const name = escapeText(summary.target);
      if (options.alive) {
        if (summary.received > 0) out.line(name);
      } else if (options.unreachable) {
        if (summary.received === 0 && summary.end !== 'unresolved') out.line(name);
      } else if (!options.quiet && summary.end !== 'unresolved') {
        out.line(`${name} is ${summary.received > 0 ? 'alive' : 'unreachable'}`);
      }
    }
  } finally {
    bar?.stop();
    signals.clear();
  }

  if (!options.json && !listMode) {
    const ordered = targets.map((t) => byTarget.get(t)).filter((s): s is PingSummary => s !== undefined);
    out.out(`${options.quiet ? '' : '\n'}${summaryTable(ordered)}`);
  }
  // Replies the kernel discarded were counted as lost: say so, on stderr, in every output mode.
  const dropped = sockets.kernelDrops();
  if (dropped > 0) out.error(kernelDropsWarning(dropped));
  out.flush();
  if (unresolved > 0) return 2;
  return alive === finished ? 0 : 1;
}

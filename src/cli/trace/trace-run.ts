// `rawping trace` after the privilege drop: the destination resolved (Ctrl-C meanwhile ends the
// run), its socket found and its route checked as ping checks it, then the trace through the
// public API: a live table on a terminal, the table once at the end with --report (or off a
// terminal), or NDJSON with --json. Ctrl-C ends the trace with the figures so far.
import { OptionError, resolve, traceEvents, type ResolvedTarget, type SocketSet, type TraceHop, type TraceSummary } from '../../index.js';
import { defaultOf } from '../../options/option-table.js';
import { checkSizeForFamily } from '../../options/parse-value.js';
import { escapeText } from '../../wording/escape-text.js';
import { strerror } from '../../wording/strerror.js';
import type { Output } from '../output.js';
import { checkRoute } from '../ping/route-check.js';
import { ReverseNames } from '../ping/reverse-names.js';
import { flagName } from '../read-command-line.js';
import type { SignalHub } from '../signal-hub.js';
import { socketFailure } from '../socket-failure.js';
import { UsageError } from '../usage-error.js';
import { LiveView } from './live-view.js';
import { traceOptionsOf, type TraceCliOptions } from './parse-trace-args.js';
import { traceEventJson, traceStartJson } from './trace-json.js';
import { tableNotes, traceTableLines } from './trace-table.js';

/** The one line for a destination that cannot be traced because it is not one host. */
function broadcastRefused(target: string): UsageError {
  return new UsageError(`${escapeText(target)} is a broadcast or multicast address: a trace follows the path to one host`);
}

async function resolveDestination(options: TraceCliOptions, target: string, signals: SignalHub): Promise<ResolvedTarget | null> {
  const controller = new AbortController();
  signals.onInterrupt(() => controller.abort());
  try {
    return await resolve(target, { family: options.family, interface: options.interface, signal: controller.signal });
  } catch (error) {
    if (signals.interrupted) return null;
    if (error instanceof OptionError && error.option === 'broadcast') throw broadcastRefused(target);
    throw error;
  } finally {
    signals.clear();
  }
}

/**
 * Traces `options.target` and resolves with the exit status: 0 when the destination answered,
 * 1 when it did not (or Ctrl-C came before it was resolved).
 */
export async function runTraceCli(options: TraceCliOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const target = options.target as string;
  if (options.verbose && !options.traceJson) {
    for (const s of sockets.opened) {
      const how = s.kind === 'dgram' ? ' (an unprivileged ICMP datagram socket, as net.ipv4.ping_group_range allows)' : '';
      out.err(`rawping: IPv${s.family} socket: ${s.kind}${how}, identifier ${s.identifier}\n`);
    }
  }
  const resolved = await resolveDestination(options, target, signals);
  if (resolved === null) return 1;
  const size = options.size ?? (defaultOf('size', 'trace') as number);
  checkSizeForFamily(size, resolved.family, flagName);
  const socket = sockets.opened.find((s) => s.family === resolved.family);
  if (socket === undefined) {
    const failed = sockets.failed.find((f) => f.family === resolved.family);
    throw new UsageError(failed !== undefined ? socketFailure(failed.error, options.interface) : `no IPv${resolved.family} socket`);
  }
  const route = checkRoute(resolved.address, resolved.family, resolved.scopeId);
  if (!route.ok) {
    if (route.code === 'EACCES' && resolved.family === 4) throw broadcastRefused(target);
    throw new UsageError(`connect: ${strerror(route.code)}`);
  }

  const json = options.traceJson;
  const live = !json && !options.traceReport && out.stdout.isTTY === true;
  const rounds = options.rounds ?? (live ? Infinity : (defaultOf('rounds', 'trace') as number));
  const maxHops = options.maxHops ?? (defaultOf('maxHops', 'trace') as number);
  const run = traceEvents(resolved.scopeId !== 0 ? `${resolved.address}%${resolved.scopeId}` : resolved.address, {
    ...traceOptionsOf(options),
    rounds,
    family: resolved.family,
    sockets,
  });
  signals.onInterrupt(() => run.stop());
  out.onClose(() => run.stop());

  const host = escapeText(target);
  const header = `rawping trace to ${host === resolved.address ? host : `${host} (${resolved.address})`}, ${maxHops} hops max, ${size} byte payloads`;
  const names = options.reverseDns ? new ReverseNames() : null;
  const name = (address: string): string => (names === null ? address : names.display(address));
  const frame = (hops: readonly TraceHop[], roundsDone: number, status: string | null): string[] => [
    header,
    ...traceTableLines(hops, name),
    ...tableNotes(hops, roundsDone),
    ...(status !== null ? [status] : []),
  ];

  if (json) {
    out.line(
      traceStartJson(
        {
          target: resolved.target,
          address: resolved.address,
          family: resolved.family,
          socket: socket.kind,
          firstHop: options.firstHop ?? (defaultOf('firstHop', 'trace') as number),
          maxHops,
          rounds: Number.isFinite(rounds) ? rounds : null,
          intervalMs: options.roundIntervalMs ?? (defaultOf('roundInterval', 'trace') as number),
          timeoutMs: options.probeTimeoutMs ?? (defaultOf('probeTimeout', 'trace') as number),
          size,
        },
        Date.now(),
      ),
    );
  }
  const view = live ? new LiveView(out) : null;
  let summary: TraceSummary | null = null;
  try {
    view?.draw(frame([], 0, 'waiting for the first round (Ctrl-C to stop)'));
    for await (const event of run) {
      // The library traced the address resolved here; the summary names the target as typed.
      if (json) out.line(traceEventJson(event.type === 'summary' ? { ...event, summary: { ...event.summary, target: resolved.target } } : event, Date.now()));
      if (event.type === 'round' && view !== null) {
        const of = Number.isFinite(rounds) ? ` of ${rounds}` : '';
        view.draw(frame(event.hops, event.round, `round ${event.round}${of} done (Ctrl-C to stop)`));
      }
      if (event.type === 'summary') summary = event.summary;
    }
    if (summary === null) summary = await run.done;
    if (view !== null) view.draw(frame(summary.hops, summary.rounds, null));
  } finally {
    view?.close();
    signals.clear();
  }
  if (!json && view === null) {
    // The report: names (with -H) looked up before the one print, each lookup bounded.
    if (names !== null) await Promise.all(summary.hops.flatMap((h) => h.addresses.map((a) => names.lookup(a.address))));
    out.out(`${frame(summary.hops, summary.rounds, null).join('\n')}\n`);
  }
  return summary.reached ? 0 : 1;
}

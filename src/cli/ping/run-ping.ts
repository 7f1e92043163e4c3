// One target, as iputils ping: header, a line per reply or error, statistics, exit status.
import { createPinger, type PingEvent, type PingOptions, type PingSummary, type ResolvedTarget, type SocketSet } from '../../index.js';
import { defaultOf, DEFAULT_SIZE } from '../../options/option-table.js';
import { isLinkLocal, isMulticast, isNumericHost } from '../../packet/address.js';
import { rttMicroseconds } from '../../pinger/rtt-statistics.js';
import { routeMtu } from '../../os/route-source.js';
import { escapeText } from '../../wording/escape-text.js';
import type { CliOptions } from '../parse-args.js';
import { commonPingOptions } from '../common-options.js';
import { eventJson, startJson } from '../format-json.js';
import { errorLine, headerLine, patternLine, replyLine, statisticsBlock, statusLine, timestampPrefix } from '../format-text.js';
import type { Output } from '../output.js';
import type { SignalHub } from '../signal-hub.js';
import { IpOptionsText } from './ip-options-text.js';
import { ReverseNames } from './reverse-names.js';
import { strerror } from '../../wording/strerror.js';
import { kernelDropsWarning } from '../../wording/kernel-drops.js';
import { USER_MIN_INTERVAL_MS } from '../user-limits.js';

/** Below this payload size ping has no room for its timestamp and prints no times. */
const TIMING_MIN_SIZE = 16;

/** The run's facts the formatter needs besides the events. */
export interface SingleRun {
  options: CliOptions;
  resolved: ResolvedTarget;
  /** The sockets opened for the run (while privileged), which it uses and no others. */
  sockets: SocketSet;
  /** Kind of socket in use for the target's family. */
  socketKind: 'raw' | 'dgram';
  /** Source address the kernel picked (shown with -I and -B). */
  source: string;
  /** The address the probes go to when it is not `resolved.address` (ping ::, this host: the route's source). */
  pingAddress?: string;
}

/**
 * Library options for one target from the command line, with ping's defaults from the option
 * table (no count limit, 10 s linger). Flood without -i means interval 0; adaptive starts
 * from -i and follows the RTT; without privilege ping's 2 ms floor applies under both.
 */
function pingOptionsFor(options: CliOptions, resolved: ResolvedTarget, sockets: SocketSet): PingOptions {
  return {
    ...commonPingOptions(options),
    ...(options.adaptive ? { adaptive: true } : {}),
    minInterval: sockets.privileged ? 0 : USER_MIN_INTERVAL_MS,
    count: options.count ?? (defaultOf('count', 'ping') as number),
    interval: options.intervalMs ?? (options.flood ? 0 : (defaultOf('interval', 'ping') as number)),
    timeout: options.timeoutMs ?? (defaultOf('timeout', 'ping') as number),
    preload: options.preload ?? (defaultOf('preload', 'ping') as number),
    family: resolved.family,
    sockets,
  };
}

/**
 * Runs the ping and prints as iputils does (or NDJSON with --json). Resolves with the exit
 * status: 0 when a reply came (with -c and -w: count replies), 1 otherwise.
 */
export async function runPing(run: SingleRun, out: Output, signals: SignalHub): Promise<number> {
  const o = run.options;
  const r = run.resolved;
  const size = o.size ?? DEFAULT_SIZE;
  const timing = size >= TIMING_MIN_SIZE;
  const host = escapeText(r.target);
  // -D's wall clock to the microsecond, as ping's gettimeofday: performance (node:perf_hooks)
  // is loaded only when -D asks for it.
  const now = (): number => performance.timeOrigin + performance.now();
  const prefix = (): string => (o.timestamp ? timestampPrefix(now()) : '');
  // A reply from the target itself shows the name the user typed, as ping does for names;
  // anything else is shown as an address: no reverse lookups unless -H asks for them.
  // A link-local address means nothing without its interface: ping writes it as fe80::1%eth0.
  const scopeName = o.scopeName ?? o.interface;
  const scoped = (address: string): string => (scopeName !== undefined && isLinkLocal(address) ? `${address}%${scopeName}` : address);
  // "0" is an address to ping too (inet_aton reads it): this host, shown by its address.
  const numeric = o.numeric || isNumericHost(r.target) || run.pingAddress !== undefined;
  const typedName = r.target !== r.address && !numeric ? `${host} (${r.address})` : scoped(r.address);
  const names = o.reverseDns ? new ReverseNames() : null;
  if (names !== null) await names.lookup(r.address);
  const showFrom = (address: string): string => (names !== null ? names.display(address) : address === r.address ? typedName : scoped(address));

  // ping's warning for an IPv4 broadcast target (allowed with -b); multicast gets none.
  if (r.anySource === true && r.family === 4 && !isMulticast(r.address)) out.err('WARNING: pinging broadcast address\n');
  // ping's "multicast" run: -b, or a multicast target. Answers come from many hosts, so their
  // duplicates are no news: (DUP!) only with -v.
  const multicast = (r.family === 4 && o.broadcast) || isMulticast(r.address);
  const socket = run.sockets.opened.find((s) => s.family === r.family);
  // -v shows the identifier as ping does: raw sockets' own, a datagram socket's only when -e chose it.
  const ident = o.verbose && socket !== undefined && (socket.kind === 'raw' || o.identifier !== undefined) ? socket.identifier : undefined;
  const options = new IpOptionsText();
  if (o.json) {
    out.line(startJson({ target: r.target, address: r.address, family: r.family, size, socket: run.socketKind }, Date.now()));
  } else {
    if (o.pattern !== undefined && !o.quiet) out.line(patternLine(o.pattern));
    out.line(
      headerLine({
        family: r.family,
        host,
        address: o.scopeName !== undefined ? `${r.address}%${o.scopeName}` : r.address,
        size,
        ...(o.source !== undefined || o.strictSource || (o.interface !== undefined && o.interfaceFromScope !== true)
          ? { source: { address: run.source, device: o.interfaceFromScope === true ? '' : (o.interface ?? '') } }
          : {}),
        // -R and -T reserve the whole 40 bytes of IPv4 options, as ping counts them.
        optionBytes: o.recordRoute || o.ipTimestamp !== undefined ? 40 : 0,
        ...(o.flowLabel !== undefined ? { flowLabel: o.flowLabel } : {}),
      }),
    );
  }

  // Lines to a file or a pipe go out once per turn of the event loop, not one system call each:
  // -A and -f print tens of thousands (ping's stdio buffers them too). A terminal gets each at once.
  if (!out.stdout.isTTY) out.buffered = true;

  // What ping prints besides the library's figures: pipe, the most probes out at once.
  let pipe = 0;
  let lastSent = -1;
  let lastAnswered = -1;
  const flood = o.flood && !o.json;

  // The address as resolved, with its scope: r.address alone would lose a link-local scope.
  const address = run.pingAddress ?? r.address;
  const pinger = createPinger(r.scopeId !== 0 ? `${address}%${r.scopeId}` : address, pingOptionsFor(o, r, run.sockets));
  // ping's pipe: the most probes out when an answer (a reply, or an IPv4 ICMP error) came.
  const notePipe = (sequence: number): void => {
    const outstanding = (lastSent - sequence) & 0xffff;
    if (outstanding <= 0x7fff) pipe = Math.max(pipe, outstanding + 1);
  };
  const onEvent = (event: PingEvent): void => {
    if (o.json) {
      const line = eventJson(event, Date.now());
      if (line !== null) out.line(line);
    }
    switch (event.type) {
      case 'sent': {
        if (o.reportOutstanding && !o.json && lastSent >= 0 && lastAnswered !== lastSent) {
          out.line(`${prefix()}no answer yet for icmp_seq=${lastSent}`);
        }
        lastSent = event.sequence;
        if (flood && !o.quiet) out.out('.');
        break;
      }
      case 'reply':
      case 'duplicate':
      case 'corrupted': {
        if (event.type !== 'corrupted') {
          lastAnswered = event.sequence;
          notePipe(event.sequence);
        }
        if (o.json || o.quiet) break;
        const truncated = event.type !== 'corrupted' && event.truncated;
        // ping rings for every reply it prints whole (not a truncated one), flood included.
        const bell = o.audible && !truncated ? '\x07' : '';
        if (flood) {
          out.out((event.type === 'corrupted' ? '\bC' : '\b \b') + bell);
          break;
        }
        const ipOptions = event.type !== 'corrupted' && !truncated && event.ipOptions !== undefined ? options.text(event.ipOptions, showFrom) : '';
        out.line(
          prefix() +
            replyLine({
              bytes: event.bytes,
              from: showFrom(event.from),
              sequence: event.sequence,
              ttl: event.ttl,
              us: timing ? rttMicroseconds(event.rttMs * 1e6) : null,
              truncated,
              duplicate: event.type === 'duplicate' && (!multicast || o.verbose),
              badChecksum: event.type === 'corrupted',
              ...(ident !== undefined ? { ident } : {}),
            }) +
            bell +
            ipOptions,
        );
        break;
      }
      case 'error':
        // ping counts an IPv4 error in its pipe (it acknowledges the probe from the error
        // queue); IPv6 errors never reach that code.
        if (!event.advisory && r.family === 4) notePipe(event.sequence);
        if (o.json || o.quiet) break;
        if (event.advisory) {
          // ping's wording for redirect and source quench has a colon after the address.
          if (!flood) out.line(`${prefix()}From ${showFrom(event.from)}: icmp_seq=${event.sequence} ${event.reason}`);
        } else if (flood) out.out('\bE');
        else out.line(prefix() + errorLine(showFrom(event.from), event.sequence, event.reason));
        break;
      case 'send-error':
        if (event.retried) break;
        // A probe that failed locally still counts as sent, as in ping.
        lastSent = event.sequence;
        if (o.json) break;
        if (flood) {
          if (!o.quiet) out.out('E');
          break;
        }
        if (!o.quiet) {
          const blocked = event.code === 'EPERM' || event.code === 'EACCES' ? ' (blocked locally: a firewall rule or a prohibit route)' : '';
          const mtu = event.code === 'EMSGSIZE' ? pathMtu(r.family, address, r.scopeId) : null;
          // ping's words for a probe above the path MTU under -M do (from its error queue).
          if (mtu !== null) out.error(`local error: message too long, mtu${r.family === 4 ? '=' : ': '}${mtu}`);
          else out.error(`sendmsg: ${strerror(event.code)}${blocked}`);
        }
        break;
      default:
        break;
    }
  };
  for (const type of ['sent', 'reply', 'duplicate', 'corrupted', 'error', 'send-error', 'timeout', 'late', 'drops', 'summary'] as const) {
    pinger.on(type, onEvent);
  }

  const stop = (): void => pinger.stop();
  signals.onInterrupt(stop);
  signals.onStatus(() => {
    const snap = pinger.snapshot();
    out.err(statusLine(snap?.received ?? 0, snap?.transmitted ?? 0, timing ? (snap?.rtt?.iputils ?? null) : null));
  });
  out.onClose(stop);

  let summary: PingSummary;
  try {
    summary = await pinger.done;
  } finally {
    signals.clear();
  }

  if (!o.json) {
    out.out(
      statisticsBlock({
        host,
        transmitted: summary.transmitted,
        received: summary.received,
        duplicates: summary.duplicates,
        corrupted: summary.corrupted,
        errors: summary.errors,
        timeMs: summary.sendSpanMs,
        rtt: timing ? (summary.rtt?.iputils ?? null) : null,
        pipe,
        ipgEwma: o.flood || o.adaptive || (o.intervalMs !== undefined && o.intervalMs === 0),
        spread: o.percentiles && timing && summary.rtt !== null ? summary.rtt : null,
      }),
    );
  }
  out.flush();
  // Replies the kernel discarded were counted as lost: say so, on stderr, in every output mode.
  const dropped = run.sockets.kernelDrops();
  if (dropped > 0) out.error(kernelDropsWarning(dropped));
  return exitStatus(summary, o);
}

/** The path MTU towards the target as the kernel knows it, or null when the lookup fails. */
function pathMtu(family: 4 | 6, address: string, scopeId: number): number | null {
  try {
    return routeMtu(family, address, scopeId);
  } catch {
    return null;
  }
}

/** ping's exit status: 1 when nothing came back, or with -w and -c when fewer than count replies came. */
function exitStatus(summary: PingSummary, options: CliOptions): number {
  if (summary.received === 0) return 1;
  if (options.deadlineMs !== undefined && options.deadlineMs > 0 && options.count !== undefined && summary.received < options.count) return 1;
  return 0;
}

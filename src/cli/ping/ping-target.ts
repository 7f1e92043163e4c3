// One target, before its first probe: its name resolved (Ctrl-C meanwhile prints the empty
// statistics), its size checked for its family, its socket found, its route checked as ping
// checks it; then the run.
import { resolve, type SocketSet } from '../../index.js';
import { prepareSockets } from '../../runtime/socket-set.js';
import { DEFAULT_SIZE } from '../../options/option-table.js';
import { checkSizeForFamily } from '../../options/parse-value.js';
import { isLinkLocal } from '../../packet/address.js';
import { escapeText } from '../../wording/escape-text.js';
import { strerror } from '../../wording/strerror.js';
import { statisticsBlock } from '../format-text.js';
import type { Output } from '../output.js';
import { flagName, type CliOptions } from '../parse-args.js';
import type { SignalHub } from '../signal-hub.js';
import { ASK_FOR_BROADCAST, socketFailure } from '../socket-failure.js';
import { UsageError } from '../usage-error.js';
import { checkRoute } from './route-check.js';
import { runPing } from './run-ping.js';

/**
 * Options of one family only are refused for the other (ping ignores them silently): -R and -T
 * are IPv4 header options, -F an IPv6 flow label.
 */
function checkFamilyOptions(options: CliOptions, family: 4 | 6): void {
  const only = (flag: string, wanted: 4 | 6): never => {
    throw new UsageError(`${flag} applies to IPv${wanted} only, and this target is IPv${family}`);
  };
  if (family === 6 && options.recordRoute) only('-R', 4);
  if (family === 6 && options.ipTimestamp !== undefined) only('-T', 4);
  if (family === 4 && options.flowLabel !== undefined) only('-F', 6);
}

/** Pings `options.targets[0]` as ping does and resolves with ping's exit status. */
export async function pingTarget(options: CliOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const target = options.targets[0] as string;
  const controller = new AbortController();
  signals.onInterrupt(() => controller.abort());
  let resolved;
  try {
    resolved = await resolve(target, { family: options.family, broadcast: options.broadcast, interface: options.interface, signal: controller.signal });
  } catch (error) {
    if (signals.interrupted) {
      // Ctrl-C while resolving: the (empty) statistics at once, as for any interrupted run.
      if (!options.json) {
        const nothing = { transmitted: 0, received: 0, duplicates: 0, corrupted: 0, errors: 0, timeMs: 0, rtt: null, pipe: 0, ipgEwma: false };
        out.out(statisticsBlock({ host: escapeText(target), ...nothing }));
      }
      return 1;
    }
    throw error;
  } finally {
    signals.clear();
  }
  checkSizeForFamily(options.size ?? DEFAULT_SIZE, resolved.family, flagName);
  checkFamilyOptions(options, resolved.family);
  if (resolved.family === 6 && isLinkLocal(resolved.address) && resolved.scopeId === 0) {
    // The kernel cannot tell which link is meant (connect says only "Invalid argument").
    throw new UsageError(
      `${escapeText(target)}: a link-local address needs its interface: write it as ${resolved.address}%<interface>, or give -I <interface>`,
    );
  }
  const socket = sockets.opened.find((s) => s.family === resolved.family);
  if (socket === undefined) {
    const failed = sockets.failed.find((f) => f.family === resolved.family);
    throw new UsageError(failed !== undefined ? socketFailure(failed.error, options.interface, failed.family) : `no IPv${resolved.family} socket`);
  }
  if (socket.kind !== 'raw' && (options.recordRoute || options.ipTimestamp !== undefined || options.strictSource)) {
    // A datagram socket hands over no IP header, so no options to print; and it is bound already.
    const flag = options.recordRoute ? '-R' : options.ipTimestamp !== undefined ? '-T' : '-B';
    throw new UsageError(`${flag} needs a raw socket (root or CAP_NET_RAW; this run has an ICMP datagram socket)`);
  }
  let route = checkRoute(resolved.address, resolved.family, resolved.scopeId, options.broadcast);
  // ping's check never fails for a scoped link-local target (it connects with no family, which
  // disconnects), and it shows "::" as the source: the link decides, not the routing table.
  if (!route.ok && resolved.family === 6 && isLinkLocal(resolved.address)) route = { ok: true, source: '::' };
  if (!route.ok) {
    if (route.code === 'EACCES' && resolved.family === 4) throw new UsageError(ASK_FOR_BROADCAST);
    throw new UsageError(`connect: ${strerror(route.code)}`);
  }
  // What waits for the destination (-B, -C, -F) is done now: a refusal stops the run here,
  // with ping's words, instead of failing its first probe.
  const pingAddress = resolved.address === '0.0.0.0' || resolved.address === '::' ? route.source : resolved.address;
  try {
    prepareSockets(sockets, resolved.family, pingAddress, resolved.scopeId);
  } catch (error) {
    throw new UsageError(socketFailure(error, options.interface));
  }
  // ping 0, ping 0.0.0.0, ping ::: "this host", which answers from the address the route gives.
  if (resolved.address === '0.0.0.0' || resolved.address === '::') {
    // IPv4 shows the address it pings in the header; IPv6 shows "::" and pings the route's source.
    const here = resolved.family === 4 ? { ...resolved, address: route.source } : resolved;
    const run = { options, resolved: here, sockets, socketKind: socket.kind, source: options.source ?? route.source, pingAddress: route.source };
    return runPing(run, out, signals);
  }
  return runPing({ options, resolved, sockets, socketKind: socket.kind, source: options.source ?? route.source }, out, signals);
}

// One target, before its first probe: its name resolved (Ctrl-C meanwhile prints the empty
// statistics), its size checked for its family, its socket found, its route checked as ping
// checks it; then the run.
import { resolve, type SocketSet } from '../../index.js';
import { DEFAULT_SIZE } from '../../options/option-table.js';
import { checkSizeForFamily } from '../../options/parse-value.js';
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
  const socket = sockets.opened.find((s) => s.family === resolved.family);
  if (socket === undefined) {
    const failed = sockets.failed.find((f) => f.family === resolved.family);
    throw new UsageError(failed !== undefined ? socketFailure(failed.error, options.interface) : `no IPv${resolved.family} socket`);
  }
  const route = checkRoute(resolved.address, resolved.family, resolved.scopeId, options.broadcast);
  if (!route.ok) {
    if (route.code === 'EACCES' && resolved.family === 4) throw new UsageError(ASK_FOR_BROADCAST);
    throw new UsageError(`connect: ${strerror(route.code)}`);
  }
  return runPing({ options, resolved, sockets, socketKind: socket.kind, source: options.source ?? route.source }, out, signals);
}

// The command's order of work matters for safety: parse argv, open the sockets (the only
// step that needs privilege), drop privileges, and only then print, resolve names, read
// files or parse a packet.
import { createRequire } from 'node:module';
import { OptionError, PermissionError, RawpingError, resolve, SocketError, type SocketSet } from '../index.js';
import { DEFAULT_SIZE } from '../options/option-table.js';
import { checkSizeForFamily } from '../options/parse-value.js';
import { validateOptions } from '../options/validate-options.js';
import { addonLoadError } from '../os/addon-status.js';
import { execve } from '../os/process-powers.js';
import { ipVersion } from '../packet/address.js';
import { adoptSocketSet, inheritableSockets, openSocketSet } from '../runtime/socket-set.js';
import { escapeText } from '../wording/escape-text.js';
import { strerror } from '../wording/strerror.js';
import { commonPingOptions } from './common-options.js';
import { dropPrivileges, PrivilegeDropError } from './drop-privileges.js';
import { statisticsBlock } from './format-text.js';
import { helpText } from './help-text.js';
import { Output } from './output.js';
import { flagName, parseArgs, type CliOptions } from './parse-args.js';
import { checkRoute } from './ping/route-check.js';
import { runPing } from './ping/run-ping.js';
import { SignalHub } from './signal-hub.js';
import { handoverText, INHERITED_SOCKETS_ENV, parseHandover } from './socket-handover.js';
import { runSweep } from './sweep/run-sweep.js';
import { UsageError } from './usage-error.js';
import { checkUserLimits } from './user-limits.js';

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

function familiesFor(options: CliOptions): (4 | 6)[] {
  if (options.family !== 0) return [options.family];
  if (options.range === undefined && options.file === undefined && options.targets.length > 0) {
    const versions = options.targets.map((t) => ipVersion(t));
    if (versions.every((v) => v !== 0)) return [...new Set(versions)].sort();
  }
  return [4, 6];
}

/** ping's words for a broadcast target without -b (refused by the library, or by connect). */
const ASK_FOR_BROADCAST = 'Do you want to ping broadcast? Then -b. If not, check your local firewall rules';

/** Says why a socket could not be opened, in one line (ping's wording where it has one). */
function socketFailure(error: unknown, device?: string): string {
  if (error instanceof PermissionError) return error.message;
  if (error instanceof SocketError) {
    if (error.syscall === 'setsockopt' && device !== undefined && error.detail === device) {
      return `SO_BINDTODEVICE ${escapeText(device)}: ${strerror(error.errnoCode)}`;
    }
    if (error.syscall === 'bind' && error.detail !== undefined) return `bind ${escapeText(error.detail)}: ${strerror(error.errnoCode)}`;
    return `${error.syscall}: ${strerror(error.errnoCode)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the rawping command with `argv` (without node and script) and resolves with the exit
 * status: 0 replies came, 1 none (or not all, see -c/-w and many targets), 2 any other error.
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = new Output();
  // Every path needs the addon, if only to drop privileges: without it, say how to build it.
  const missing = addonLoadError();
  if (missing !== null) {
    out.error(missing.message);
    return 2;
  }
  const signals = new SignalHub();
  let options: CliOptions | null = null;
  let failure: string | null = null;
  try {
    options = parseArgs(argv);
  } catch (error) {
    failure = error instanceof UsageError ? error.message : `invalid command line: ${(error as Error).message}`;
  }

  // The sockets: taken over from the process this one replaced (its description is untrusted
  // text: every descriptor is checked by the addon), or opened now, while still privileged.
  let sockets: SocketSet | null = null;
  const inheritedText = env[INHERITED_SOCKETS_ENV];
  delete env[INHERITED_SOCKETS_ENV];
  const needsSockets =
    options !== null &&
    failure === null &&
    !options.help &&
    !options.version &&
    (options.targets.length > 0 || options.range !== undefined || options.file !== undefined);
  if (inheritedText !== undefined) {
    try {
      const handover = parseHandover(inheritedText);
      if (needsSockets && options !== null) sockets = adoptSocketSet(socketSpec(options), handover.sockets, handover.identifier);
    } catch (error) {
      failure ??= error instanceof UsageError ? error.message : String(error);
    }
  } else if (needsSockets && options !== null) {
    sockets = openSocketSet(socketSpec(options), familiesFor(options));
  }
  // ping's limits for users, unless the sockets prove the privilege (a raw one, or opened as
  // root or with CAP_NET_RAW): never because the environment says so.
  if (options !== null && failure === null) failure = checkUserLimits(options, sockets?.privileged ?? false);

  // With sockets to carry over, a process holding capabilities restarts itself without them
  // (see dropPrivileges); the restarted process takes the sockets over and goes on from here.
  const opened = sockets;
  const reexec =
    opened !== null && opened.opened.length > 0 && inheritedText === undefined
      ? (): never =>
          execve(process.execPath, [process.execPath, ...process.execArgv, process.argv[1] as string, ...argv], {
            ...env,
            [INHERITED_SOCKETS_ENV]: handoverText({
              identifier: (opened.opened.find((s) => s.kind === 'raw') ?? opened.opened[0])?.identifier ?? 1,
              sockets: inheritableSockets(opened),
            }),
          })
      : undefined;
  try {
    dropPrivileges(env, reexec);
  } catch (error) {
    out.error(`${error instanceof PrivilegeDropError ? error.message : String(error)}; refusing to go on`);
    return 2;
  }

  if (failure !== null || options === null) {
    out.error(failure ?? 'invalid command line');
    return 2;
  }
  if (options.help) {
    out.out(helpText());
    return 0;
  }
  if (options.version) {
    out.line(`rawping ${version()}`);
    return 0;
  }
  if (sockets === null) {
    out.error('usage error: Destination address required (see rawping -h)');
    return 2;
  }
  if (sockets.opened.length === 0) {
    out.error(socketFailure(sockets.failed[0]?.error, options.interface));
    return 2;
  }
  if (options.verbose && !options.json) {
    for (const s of sockets.opened) out.err(`rawping: IPv${s.family} socket: ${s.kind}, identifier ${s.identifier}\n`);
  }

  try {
    if (options.runMode === 'sweep') return await runSweep(options, sockets, out, signals);
    return await runOne(options, sockets, out, signals);
  } catch (error) {
    if (error instanceof OptionError) {
      out.error(error.option === 'broadcast' ? ASK_FOR_BROADCAST : error.message);
      return 2;
    }
    if (error instanceof RawpingError || error instanceof UsageError) {
      out.error(error.message);
      return 2;
    }
    throw error;
  }
}

/** The socket settings of the command line: what the set is opened with, and what every run asks for. */
function socketSpec(options: CliOptions): ReturnType<typeof validateOptions>['socket'] {
  return validateOptions(commonPingOptions(options), { kind: options.runMode, name: flagName }).socket;
}

async function runOne(options: CliOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const target = options.targets[0] as string; // more than one goes to runMany
  const controller = new AbortController();
  signals.onInterrupt(() => controller.abort());
  let resolved;
  try {
    resolved = await resolve(target, { family: options.family, broadcast: options.broadcast, interface: options.interface, signal: controller.signal });
  } catch (error) {
    if (signals.interrupted) {
      // Ctrl-C while resolving: the (empty) statistics at once, as for any interrupted run.
      if (!options.json)
        out.out(
          statisticsBlock({
            host: escapeText(target),
            transmitted: 0,
            received: 0,
            duplicates: 0,
            corrupted: 0,
            errors: 0,
            timeMs: 0,
            rtt: null,
            pipe: 0,
            ipgEwma: false,
          }),
        );
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
    if (route.code === 'EACCES' && resolved.family === 4) {
      throw new UsageError(ASK_FOR_BROADCAST);
    }
    throw new UsageError(`connect: ${strerror(route.code)}`);
  }
  return runPing({ options, resolved, sockets, socketKind: socket.kind, source: options.source ?? route.source }, out, signals);
}

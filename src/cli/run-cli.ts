// The command's order of work matters for safety: parse argv, open the sockets (the only
// step that needs privilege), drop privileges, and only then print, resolve names, read
// files or parse a packet. Every command (the default one, the subcommands) goes through it.
import { OptionError, RawpingError, type SocketSet } from '../index.js';
import { addonLoadError } from '../os/addon-status.js';
import { execve } from '../os/process-powers.js';
import type { EngineLimits } from '../pinger/receive-capacity.js';
import { adoptSocketSet, inheritableSockets, openSocketSet } from '../runtime/socket-set.js';
import type { ParsedCommand } from './command.js';
import { defaultCommand } from './default-command.js';
import { dropPrivileges, PrivilegeDropError, setIdRefusal } from './drop-privileges.js';
import { Output } from './output.js';
import { SignalHub } from './signal-hub.js';
import { ASK_FOR_BROADCAST, socketFailure } from './socket-failure.js';
import { handoverText, INHERITED_SOCKETS_ENV, parseHandover } from './socket-handover.js';
import { pickSubcommand } from './subcommands.js';
import { UsageError } from './usage-error.js';

// The CLI's sweeps send their large batches from the sockets' receive threads (EngineLimits):
// under the bin's node flags a /16 keeps the same peak RSS and takes about 12 % less time.
const CLI_ENGINE_LIMITS: EngineLimits = { sendFromThread: true };

/**
 * Runs the rawping command with `argv` (without node and script) and resolves with the exit
 * status: 0 replies came, 1 none (or not all, see -c/-w and many targets), 2 any other error.
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = new Output();
  // Before anything is loaded or read: a setuid or setgid node is refused outright.
  const setId = setIdRefusal();
  if (setId !== null) {
    out.error(setId);
    return 2;
  }
  // Every path needs the addon, if only to drop privileges: without it, say how to build it.
  const missing = addonLoadError();
  if (missing !== null) {
    out.error(missing.message);
    return 2;
  }
  const signals = new SignalHub();
  const picked = pickSubcommand(argv);
  let parsed: ParsedCommand | null = null;
  let failure: string | null = null;
  try {
    parsed = (picked?.command ?? defaultCommand).parse(picked?.argv ?? argv);
  } catch (error) {
    failure = error instanceof UsageError ? error.message : `invalid command line: ${(error as Error).message}`;
  }

  // The sockets: taken over from the process this one replaced (its description is untrusted
  // text: every descriptor is checked by the addon), or opened now, while still privileged.
  let sockets: SocketSet | null = null;
  const inheritedText = env[INHERITED_SOCKETS_ENV];
  delete env[INHERITED_SOCKETS_ENV];
  const request = failure === null ? (parsed?.sockets ?? null) : null;
  if (inheritedText !== undefined) {
    try {
      const handover = parseHandover(inheritedText);
      if (request !== null) sockets = adoptSocketSet(request.spec, handover.sockets, handover.identifier, CLI_ENGINE_LIMITS);
    } catch (error) {
      failure ??= error instanceof UsageError ? error.message : String(error);
    }
  } else if (request !== null) {
    sockets = openSocketSet(request.spec, request.families, CLI_ENGINE_LIMITS);
  }
  // ping's limits for users, unless the sockets prove the privilege (a raw one, or opened as
  // root or with CAP_NET_RAW): never because the environment says so.
  if (parsed !== null && failure === null) failure = parsed.checkLimits(sockets?.privileged ?? false);

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
    dropPrivileges(env, reexec, failure === null ? parsed?.user : undefined);
  } catch (error) {
    out.error(`${error instanceof PrivilegeDropError ? error.message : String(error)}; refusing to go on`);
    return 2;
  }

  if (failure !== null || parsed === null) {
    out.error(failure ?? 'invalid command line');
    return 2;
  }
  if (sockets !== null && sockets.opened.length === 0) {
    out.error(socketFailure(sockets.failed[0]?.error, request?.spec.interface, sockets.failed[0]?.family));
    return 2;
  }
  try {
    return await out.finish(await parsed.run(sockets, out, signals));
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

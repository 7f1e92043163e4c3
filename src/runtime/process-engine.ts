import { openIcmpSocket } from '../os/open-icmp-socket.js';
import { randomBytes } from '../os/random-bytes.js';
import { Engine } from '../pinger/engine.js';

let engine: Engine | undefined;

/**
 * The process's engine over real sockets, created on first use: one socket per family (and
 * socket settings), opened when a run first needs it and shared by every run in this thread
 * that is not given a socket set of its own.
 */
export function processEngine(): Engine {
  engine ??= new Engine({
    random: randomBytes,
    // A SocketSpec's settings are the socket's options under the same names.
    // An identifier asked for (ping -e) is that socket's own; the engine's serves the rest.
    openSocket: (family, { mode, ...settings }, identifier) =>
      openIcmpSocket(mode, { ...settings, family, identifier: settings.identifier ?? identifier, dgramIdentifier: settings.identifier }),
  });
  return engine;
}

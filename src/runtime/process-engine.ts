import { Engine } from '../pinger/engine.js';
import { loadAddon } from '../os/native-binding.js';
import { openIcmpSocket } from '../os/open-icmp-socket.js';

let engine: Engine | undefined;

/**
 * The process's engine over real sockets, created on first use: one socket per family (and
 * socket settings), shared by every pinger in this thread. `identifier` sets the echo
 * identifier of its raw sockets when this call creates it (the CLI's re-exec passes on the one
 * its inherited sockets were filtered for); otherwise it is random.
 */
export function defaultEngine(identifier?: number): Engine {
  engine ??= new Engine({
    ...(identifier !== undefined ? { identifier } : {}),
    random: (n) => loadAddon().randomBytes(n),
    // A SocketSpec's settings are the socket's options under the same names.
    openSocket: (family, { mode, ...settings }, identifier) => openIcmpSocket(mode, { ...settings, family, identifier }),
  });
  return engine;
}

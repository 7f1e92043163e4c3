import type { NetworkInterfaceInfo } from 'node:os';

/** What the route check found. */
export type RouteCheck = { ok: true; source: string } | { ok: false; code: string };

/**
 * Asks the kernel which source address it would use towards `address` by connecting a UDP
 * socket (no packet is sent), as ping does before its first probe. A local `unreachable`,
 * `blackhole` or `prohibit` route fails here (EHOSTUNREACH, EINVAL, EACCES), so the CLI can
 * stop with ping's message and status 2 instead of sending into it. A broadcast target
 * passes only with `broadcast` (SO_BROADCAST), as with ping -b.
 */
export async function checkRoute(address: string, family: 4 | 6, scopeId: number, broadcast = false): Promise<RouteCheck> {
  // Loaded here, not at start-up: every module costs the CLI's start time.
  const { createSocket } = await import('node:dgram');
  const { networkInterfaces } = await import('node:os');
  // libuv reads a zone as an interface name, so a numeric scope id goes back to its name.
  const zone = scopeId === 0 ? null : (interfaceOfScope(networkInterfaces(), scopeId) ?? String(scopeId));
  const target = family === 6 && zone !== null ? `${address}%${zone}` : address;
  return new Promise((resolve) => {
    const socket = createSocket(family === 4 ? 'udp4' : 'udp6');
    const done = (result: RouteCheck): void => {
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(result);
    };
    socket.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, code: error.code ?? 'EINVAL' }));
    const connect = (): void => {
      // connect() reports its failure to this callback, not as an 'error' event.
      socket.connect(1025, target, (error?: NodeJS.ErrnoException) => {
        if (error) {
          done({ ok: false, code: error.code ?? 'EINVAL' });
          return;
        }
        try {
          done({ ok: true, source: socket.address().address });
        } catch (failure) {
          done({ ok: false, code: (failure as NodeJS.ErrnoException).code ?? 'EINVAL' });
        }
      });
    };
    if (!broadcast) {
      connect();
      return;
    }
    // SO_BROADCAST must be set before connect(), and setting it needs a bound socket.
    socket.bind(0, () => {
      socket.setBroadcast(true);
      connect();
    });
  });
}

function interfaceOfScope(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, scopeId: number): string | null {
  for (const [name, addresses] of Object.entries(interfaces)) {
    if ((addresses ?? []).some((a) => a.family === 'IPv6' && a.scopeid === scopeId)) return name;
  }
  return null;
}

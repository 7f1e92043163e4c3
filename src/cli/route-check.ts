
/** What the route check found. */
export type RouteCheck = { ok: true; source: string } | { ok: false; code: string };

/**
 * Asks the kernel which source address it would use towards `address` by connecting a UDP
 * socket (no packet is sent), as ping does before its first probe. A local `unreachable`,
 * `blackhole` or `prohibit` route fails here (EHOSTUNREACH, EINVAL, EACCES), so the CLI can
 * stop with ping's message and status 2 instead of sending into it.
 */
export async function checkRoute(address: string, family: 4 | 6, scopeId: number): Promise<RouteCheck> {
  // Loaded here, not at start-up: every module costs the CLI's start time.
  const { createSocket } = await import('node:dgram');
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
    const target = family === 6 && scopeId !== 0 ? `${address}%${scopeId}` : address;
    // connect() reports its failure to this callback, not as an 'error' event.
    socket.connect(1025, target, (error?: NodeJS.ErrnoException) => {
      if (error) {
        done({ ok: false, code: error.code ?? 'EINVAL' });
        return;
      }
      try {
        done({ ok: true, source: socket.address().address });
      } catch (error) {
        done({ ok: false, code: (error as NodeJS.ErrnoException).code ?? 'EINVAL' });
      }
    });
  });
}

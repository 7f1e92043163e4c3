import { SocketError } from '../../errors.js';
import { routeSource } from '../../os/route-source.js';

/** What the route check found. */
export type RouteCheck = { ok: true; source: string } | { ok: false; code: string };

/**
 * Asks the kernel which source address it would use towards `address` by connecting a UDP
 * socket (no packet is sent), as ping does before its first probe. A local `unreachable`,
 * `blackhole` or `prohibit` route fails here (EHOSTUNREACH, EINVAL, EACCES), so the CLI can
 * stop with ping's message and status 2 instead of sending into it. A broadcast target
 * passes only with `broadcast` (SO_BROADCAST), as with ping -b.
 */
export function checkRoute(address: string, family: 4 | 6, scopeId: number, broadcast = false): RouteCheck {
  try {
    return { ok: true, source: routeSource(family, address, scopeId, broadcast) };
  } catch (error) {
    if (error instanceof SocketError) return { ok: false, code: error.errnoCode };
    throw error;
  }
}

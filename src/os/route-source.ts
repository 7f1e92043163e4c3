import { loadAddon } from './native-binding.js';
import { callNative } from './map-native-error.js';

/**
 * The source address the kernel would use towards `address`, found as ping finds it: by
 * connecting a UDP socket, which sends nothing. Throws SocketError when the route lookup
 * fails: `errnoCode` is 'ENETUNREACH' or 'EHOSTUNREACH' for an `unreachable` route, 'EINVAL'
 * for a `blackhole` route, 'EACCES' for `prohibit`, or for a broadcast address without
 * `broadcast`.
 *
 * @param family 4 or 6
 * @param address a numeric address
 * @param scopeId IPv6 scope (interface index) for a link-local address; 0 for none
 * @param broadcast allow a broadcast destination (SO_BROADCAST), as ping -b does
 */
export function routeSource(family: 4 | 6, address: string, scopeId: number, broadcast: boolean): string {
  return callNative(() => loadAddon().routeSource(family, address, scopeId, broadcast));
}

/**
 * The path MTU the kernel knows towards `address`, in bytes (what ping reports after a send
 * refused with EMSGSIZE under -M do). Found by connecting a UDP socket, which sends nothing.
 * Throws SocketError when the route lookup fails.
 */
export function routeMtu(family: 4 | 6, address: string, scopeId: number): number {
  return callNative(() => loadAddon().routeMtu(family, address, scopeId));
}

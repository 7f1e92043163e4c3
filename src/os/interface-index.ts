import { loadAddon } from './native-binding.js';

/**
 * The index of the network interface called `name` (if_nametoindex), whether or not it has an
 * address: what the %scope of an IPv6 address names. 0 when there is no such interface.
 */
export function interfaceIndex(name: string): number {
  return loadAddon().interfaceIndex(name);
}

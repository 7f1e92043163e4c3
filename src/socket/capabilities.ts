import { loadAddon } from './native-binding.js';
import { mapNativeError } from './map-native-error.js';

/** CAP_NET_RAW's bit number (linux/capability.h). */
export const CAP_NET_RAW = 13;

/** Capability sets of the calling thread, as bit masks. */
export interface CapabilitySets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

/** The calling thread's capability sets (capget). */
export function capabilitySets(): CapabilitySets {
  try {
    return loadAddon().capabilities();
  } catch (error) {
    throw mapNativeError(error);
  }
}

/** True when the calling thread may open raw sockets: root's or an explicit CAP_NET_RAW. */
export function hasNetRaw(): boolean {
  return (capabilitySets().effective & (1n << BigInt(CAP_NET_RAW))) !== 0n;
}

/**
 * Clears every capability of the calling thread (ambient, effective, permitted,
 * inheritable) and sets no_new_privs. Only the CLI calls this; the library never changes
 * the process's privileges.
 */
export function dropAllCapabilities(): void {
  try {
    loadAddon().dropCapabilities();
  } catch (error) {
    throw mapNativeError(error);
  }
}

/** Replaces this process with `file` (execve). Returns only by throwing SocketError. */
export function execve(file: string, argv: string[], env: NodeJS.ProcessEnv): never {
  const entries = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  try {
    return loadAddon().execve(file, argv, entries);
  } catch (error) {
    throw mapNativeError(error);
  }
}

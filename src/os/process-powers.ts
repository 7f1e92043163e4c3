import { callNative } from './map-native-error.js';
import { loadAddon, type NativeCapabilities } from './native-binding.js';

/** CAP_NET_RAW's bit number (linux/capability.h). */
export const CAP_NET_RAW = 13;

/** Capability sets of the calling thread, as bit masks. */
export type CapabilitySets = NativeCapabilities;

/** The calling thread's capability sets (capget). */
export function capabilitySets(): CapabilitySets {
  return callNative(() => loadAddon().capabilities());
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
  callNative(() => loadAddon().dropCapabilities());
}

/** Replaces this process with `file` (execve). Returns only by throwing SocketError. */
export function execve(file: string, argv: string[], env: NodeJS.ProcessEnv): never {
  const entries = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return callNative(() => loadAddon().execve(file, argv, entries));
}

import { callNative } from './map-native-error.js';
import { loadAddon, type NativeCapabilities } from './native-binding.js';

/** CAP_NET_RAW's bit number (linux/capability.h). */
export const CAP_NET_RAW = 13;

/** Capability sets of the calling thread, as bit masks. */
export type CapabilitySets = NativeCapabilities;

/** The calling thread's capability sets (capget). Reads only; changes nothing. */
export function capabilitySets(): CapabilitySets {
  return callNative(() => loadAddon().capabilities());
}

/** True when the calling thread may open raw sockets: root's or an explicit CAP_NET_RAW. */
export function hasNetRaw(): boolean {
  return (capabilitySets().effective & (1n << BigInt(CAP_NET_RAW))) !== 0n;
}

// IPv4 header options (RFC 791) that ping asks for and prints: record route (-R) and the
// internet timestamp (-T), built for IP_OPTIONS and read back from replies. Pure and total:
// any bytes in, a list of options out, never a read past the bytes given.
import { formatIpv4, parseIpv4 } from './address.js';

/** Option types (the whole type octet, copy flag included). */
export const IPOPT_EOL = 0;
export const IPOPT_NOP = 1;
export const IPOPT_RR = 7;
export const IPOPT_TS = 68;
export const IPOPT_LSRR = 131;
export const IPOPT_SSRR = 137;

/** Room for options in an IPv4 header, in bytes. */
export const MAX_IP_OPTIONS = 40;

/** The -T kinds, with the flag value RFC 791 gives them. */
export const TIMESTAMP_FLAGS = { tsonly: 0, tsandaddr: 1, tsprespec: 3 } as const;
/** A -T kind. */
export type TimestampKind = keyof typeof TIMESTAMP_FLAGS;

/** Most addresses tsprespec can name (four address+time pairs fit in 36 bytes). */
export const MAX_PRESPEC_HOPS = 4;

/** One timestamp entry: the address (null for tsonly) and the time (null when the slot ended before it). */
export interface TimestampEntry {
  address: string | null;
  /** Milliseconds since midnight UT, or any value with `nonStandard` set (the high bit). */
  time: number | null;
  /** The high bit was set: the time is not milliseconds since midnight UT. */
  nonStandard: boolean;
}

/** A decoded option. Addresses are canonical dotted quads. */
export type IpOption =
  | { kind: 'nop' }
  | { kind: 'record-route'; addresses: string[] }
  | { kind: 'source-route'; strict: boolean; addresses: string[] }
  | { kind: 'timestamp'; flag: number; overflow: number; entries: TimestampEntry[] }
  | { kind: 'unknown'; type: number };

/**
 * The record route option as ping sends it: a NOP to align it, then RR with room for nine
 * addresses (39 bytes), pointer at the first slot. 40 bytes.
 */
export function encodeRecordRoute(): Uint8Array {
  const out = new Uint8Array(MAX_IP_OPTIONS);
  out[0] = IPOPT_NOP;
  out[1] = IPOPT_RR;
  out[2] = MAX_IP_OPTIONS - 1;
  out[3] = 4; // the pointer counts from the option's first byte; slots start at 4
  return out;
}

/**
 * The timestamp option as ping sends it: room for nine times (tsonly, 40 bytes) or four
 * address and time pairs (tsandaddr, 36 bytes), or the prespecified addresses with a zero time
 * each (tsprespec, 4 + 8 per hop). Returns null when `hops` does not fit (tsprespec needs 1 to
 * 4 IPv4 addresses; the others none) or holds something that is not an IPv4 address.
 */
export function encodeTimestamp(kind: TimestampKind, hops: readonly string[] = []): Uint8Array | null {
  if (kind !== 'tsprespec') {
    if (hops.length > 0) return null;
    const length = kind === 'tsonly' ? 40 : 36;
    const out = new Uint8Array(length);
    out[0] = IPOPT_TS;
    out[1] = length;
    out[2] = 5;
    out[3] = TIMESTAMP_FLAGS[kind];
    return out;
  }
  if (hops.length === 0 || hops.length > MAX_PRESPEC_HOPS) return null;
  const out = new Uint8Array(4 + hops.length * 8);
  out[0] = IPOPT_TS;
  out[1] = out.length;
  out[2] = 5;
  out[3] = TIMESTAMP_FLAGS.tsprespec;
  for (let i = 0; i < hops.length; i++) {
    const address = parseIpv4(hops[i] as string);
    if (address === null) return null;
    out.set(address, 4 + i * 8);
  }
  return out;
}

function word(bytes: Uint8Array, at: number): number {
  return (((bytes[at] as number) << 24) | ((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number)) >>> 0;
}

// Addresses in the recorded part of a route option: the pointer (1-based, bounded by the
// option's length) says how far the slots were filled; a slot cut short is left out.
function routeAddresses(bytes: Uint8Array, at: number, length: number): string[] {
  const pointer = Math.min(bytes[at + 2] as number, length + 1);
  const addresses: string[] = [];
  for (let slot = 3; slot + 4 <= pointer - 1 && slot + 4 <= length; slot += 4) addresses.push(formatIpv4(bytes, at + slot));
  return addresses;
}

function timestampEntries(bytes: Uint8Array, at: number, length: number, flag: number): TimestampEntry[] {
  // The pointer names the first free octet (5: none used), bounded by the length.
  const used = Math.min(bytes[at + 2] as number, length + 1) - 5;
  const withAddress = flag !== TIMESTAMP_FLAGS.tsonly;
  const size = withAddress ? 8 : 4;
  const entries: TimestampEntry[] = [];
  for (let off = 0; off < used; off += size) {
    const slot = at + 4 + off;
    if (4 + off + 4 > length) break;
    const address = withAddress ? formatIpv4(bytes, slot) : null;
    const timeAt = withAddress ? slot + 4 : slot;
    const hasTime = timeAt - at + 4 <= length && off + size <= used;
    const raw = hasTime ? word(bytes, timeAt) : 0;
    entries.push({ address, time: hasTime ? raw & 0x7fffffff : null, nonStandard: hasTime && raw >= 0x80000000 });
  }
  return entries;
}

/**
 * Decodes the options of an IPv4 header (the bytes after the fixed 20). Stops at an end of
 * list, or at an option whose length is below 2 or runs past the bytes; never throws.
 */
export function decodeIpOptions(bytes: Uint8Array): IpOption[] {
  const out: IpOption[] = [];
  let at = 0;
  while (at < bytes.length) {
    const type = bytes[at] as number;
    if (type === IPOPT_EOL) break;
    if (type === IPOPT_NOP) {
      out.push({ kind: 'nop' });
      at++;
      continue;
    }
    if (at + 1 >= bytes.length) break;
    const length = bytes[at + 1] as number;
    if (length < 2 || at + length > bytes.length) break;
    if (type === IPOPT_RR && length >= 3) {
      out.push({ kind: 'record-route', addresses: routeAddresses(bytes, at, length) });
    } else if ((type === IPOPT_LSRR || type === IPOPT_SSRR) && length >= 3) {
      out.push({ kind: 'source-route', strict: type === IPOPT_SSRR, addresses: routeAddresses(bytes, at, length) });
    } else if (type === IPOPT_TS && length >= 4) {
      const flags = bytes[at + 3] as number;
      out.push({ kind: 'timestamp', flag: flags & 0x0f, overflow: flags >> 4, entries: timestampEntries(bytes, at, length, flags & 0x0f) });
    } else {
      out.push({ kind: 'unknown', type });
    }
    at += length;
  }
  return out;
}

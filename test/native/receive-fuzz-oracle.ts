// What each of the native receive fuzzer's sockets may make of a datagram put on loopback,
// decided from the datagram's bytes alone, the way Linux's receive path decides it
// (net/ipv4/icmp.c, ping.c, raw.c; net/ipv6/icmp.c, exthdrs_core.c, raw.c). It is an oracle of
// what MAY arrive and what it must then look like: a datagram the kernel drops after all is
// simply never seen, but one that is seen must be exactly what is written here, byte for byte,
// with the source, TTL, sizes and error fields given. So the fuzzer can tell the addon's
// mistakes (a packet's bytes under another's metadata, a wrong length, a stale address, a read
// past the datagram) from the kernel's choices.
import { checksum, v6 } from '../helpers/packet-builders.js';

/** A raw socket's view: the ICMP or ICMPv6 message (after the IPv4 header, which raw IPv4 sockets also get). */
export interface RawSight {
  icmp: Uint8Array;
  /** 4 or 16 bytes. */
  source: Uint8Array;
  /** Raw IPv4: the header fields the kernel delivers as sent (the total length and checksum it rewrites itself). */
  header: { ihl: number; tos: number; ttl: number | null; destination: Uint8Array } | null;
  /** IPv6: the hop limit the control message must carry (null: not checked). */
  hopLimit: number | null;
}

/** An echo reply a datagram socket whose identifier is `identifier` receives. */
export interface ReplySight {
  identifier: number;
  icmp: Uint8Array;
  source: Uint8Array;
  ttl: number;
}

/** An error-queue entry of the datagram socket whose identifier is `identifier`. */
export interface ErrorSight {
  identifier: number;
  /** The quoted ICMP message and everything after it: what the entry's bytes are. */
  payload: Uint8Array;
  /** The entry's address: the quoted datagram's destination. */
  destination: Uint8Array;
  /** The host that sent the error. */
  offender: Uint8Array;
  type: number;
  code: number;
  info: number;
  /** TTL / hop limit of the error itself. */
  ttl: number;
}

export interface Sights {
  raw: RawSight | null;
  reply: ReplySight | null;
  error: ErrorSight | null;
  /** What an ICMP error the kernel sends about this datagram quotes, as a key (see kernelErrorKey). */
  quoteKey: string;
}

const V4_ERROR_TYPES = new Set([3, 4, 5, 11, 12]);
const V6_ERROR_TYPES = new Set([1, 2, 3, 4]);

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}

function u32(b: Uint8Array, at: number): number {
  return u16(b, at) * 0x10000 + u16(b, at + 2);
}

/** Hex of up to `n` bytes, for keys. */
export function hexKey(b: Uint8Array, n: number): string {
  return Buffer.from(b.buffer, b.byteOffset, Math.min(n, b.length)).toString('hex');
}

function foresee4(d: Uint8Array): Sights {
  const none: Sights = { raw: null, reply: null, error: null, quoteKey: '' };
  if (d.length < 20 || (d[0] as number) >> 4 !== 4) return none;
  const ihl = ((d[0] as number) & 0x0f) * 4;
  if (ihl < 20 || ihl > d.length) return none;
  // The kernel's own errors about this datagram quote its header and at least 8 bytes after it.
  const quoteKey = `4:${hexKey(d.subarray(ihl), 8)}`;
  // A fragment waits for the rest; only protocol 1 reaches ICMP sockets.
  if ((u16(d, 6) & 0x3fff) !== 0 || d[9] !== 1) return { ...none, quoteKey };
  const icmp = d.subarray(ihl);
  const source = d.subarray(12, 16);
  const ttl = d[8] as number;
  const raw: RawSight = { icmp, source, header: { ihl, tos: d[1] as number, ttl, destination: d.subarray(16, 20) }, hopLimit: null };
  // Datagram sockets get only what passes icmp_rcv's checksum.
  if (icmp.length < 8 || checksum(icmp) !== 0) return { raw, reply: null, error: null, quoteKey };
  const type = icmp[0] as number;
  const code = icmp[1] as number;
  if (type === 0) return { raw, reply: { identifier: u16(icmp, 4), icmp, source, ttl }, error: null, quoteKey };
  if (!V4_ERROR_TYPES.has(type) || (type === 3 && code > 15)) return { raw, reply: null, error: null, quoteKey };
  // icmp_unreach / icmp_redirect, then icmp_err and ping_err: the quoted header (IHL 5 or more,
  // protocol ICMP) and 8 bytes of what it carried, not an echo reply; the identifier picks the socket.
  const inner = icmp.subarray(8);
  if (inner.length < 20) return { raw, reply: null, error: null, quoteKey };
  const innerIhl = ((inner[0] as number) & 0x0f) * 4;
  if (innerIhl < 20 || inner.length < innerIhl + 8 || inner[9] !== 1) return { raw, reply: null, error: null, quoteKey };
  const quoted = inner.subarray(innerIhl);
  if (quoted[0] === 0) return { raw, reply: null, error: null, quoteKey };
  const info = type === 3 && code === 4 ? u16(icmp, 6) : type === 12 ? (icmp[4] as number) : type === 5 ? u32(icmp, 4) : 0;
  const error: ErrorSight = { identifier: u16(quoted, 4), payload: quoted, destination: inner.subarray(16, 20), offender: source, type, code, info, ttl };
  return { raw, reply: null, error, quoteKey };
}

/** The upper-layer protocol and its offset after the extension headers the kernel walks on input, or null. */
function walk6(d: Uint8Array, end: number): { protocol: number; at: number } | null {
  let nh = d[6] as number;
  let at = 40;
  for (;;) {
    if (nh === 0 && at !== 40) return null; // hop-by-hop only first
    if (nh === 0 || nh === 60 || nh === 43) {
      if (at + 8 > end) return null;
      const length = ((d[at + 1] as number) + 1) * 8;
      if (nh === 43 && d[at + 3] !== 0) return null; // segments left: it would be routed on
      if (at + length > end) return null;
      nh = d[at] as number;
      at += length;
    } else if (nh === 44) {
      if (at + 8 > end) return null;
      if ((u16(d, at + 2) & 0xfff9) !== 0) return null; // not an atomic fragment: held for reassembly
      nh = d[at] as number;
      at += 8;
    } else {
      return { protocol: nh, at };
    }
  }
}

/** ipv6_skip_exthdr on a quoted packet: where its upper layer starts and what it is, or null. */
function skip6(inner: Uint8Array): { protocol: number; at: number } | null {
  let nh = inner[6] as number;
  let at = 40;
  while (nh === 0 || nh === 43 || nh === 44 || nh === 51 || nh === 59 || nh === 60) {
    if (nh === 59 || at + 2 > inner.length) return null;
    let length: number;
    if (nh === 44) {
      if (at + 4 > inner.length) return null;
      if ((u16(inner, at + 2) & ~7) !== 0) return { protocol: 44, at }; // a later fragment: it stops here
      length = 8;
    } else if (nh === 51) {
      length = ((inner[at + 1] as number) + 2) * 4;
    } else {
      length = ((inner[at + 1] as number) + 1) * 8;
    }
    nh = inner[at] as number;
    at += length;
  }
  return { protocol: nh, at };
}

/** The ICMPv6 checksum over the pseudo-header (RFC 8200 8.1) is right. */
function checksum6Ok(source: Uint8Array, destination: Uint8Array, icmp: Uint8Array): boolean {
  const pseudo = new Uint8Array(40 + icmp.length);
  pseudo.set(source, 0);
  pseudo.set(destination, 16);
  pseudo[32] = (icmp.length >>> 24) & 0xff;
  pseudo[33] = (icmp.length >>> 16) & 0xff;
  pseudo[34] = (icmp.length >>> 8) & 0xff;
  pseudo[35] = icmp.length & 0xff;
  pseudo[39] = 58;
  pseudo.set(icmp, 40);
  return checksum(pseudo) === 0;
}

function foresee6(d: Uint8Array): Sights {
  const none: Sights = { raw: null, reply: null, error: null, quoteKey: '' };
  if (d.length < 40 || (d[0] as number) >> 4 !== 6) return none;
  // The kernel's own errors quote the packet from its header on.
  const quoteKey = `6:${hexKey(d, 40)}`;
  const end = 40 + u16(d, 4);
  if (end > d.length) return { ...none, quoteKey }; // claims more than it has: dropped
  const upper = walk6(d, end);
  if (upper === null || upper.protocol !== 58) return { ...none, quoteKey };
  const icmp = d.subarray(upper.at, end);
  const source = d.subarray(8, 24);
  // Raw ICMPv6 sockets check the checksum too (RFC 3542 3.1).
  if (icmp.length < 4 || !checksum6Ok(source, d.subarray(24, 40), icmp)) return { ...none, quoteKey };
  const hopLimit = d[7] as number;
  const raw: RawSight = { icmp, source, header: null, hopLimit };
  if (icmp.length < 8) return { raw, reply: null, error: null, quoteKey };
  const type = icmp[0] as number;
  if (type === 129) return { raw, reply: { identifier: u16(icmp, 4), icmp, source, ttl: hopLimit }, error: null, quoteKey };
  if (!V6_ERROR_TYPES.has(type)) return { raw, reply: null, error: null, quoteKey };
  // icmpv6_notify, icmpv6_err, ping_err: the quoted packet's extension headers skipped, an
  // echo request (128) with 8 bytes; the identifier picks the socket.
  const inner = icmp.subarray(8);
  if (inner.length < 40) return { raw, reply: null, error: null, quoteKey };
  const quotedAt = skip6(inner);
  if (quotedAt === null || quotedAt.protocol !== 58 || inner.length < quotedAt.at + 8) return { raw, reply: null, error: null, quoteKey };
  const quoted = inner.subarray(quotedAt.at);
  if (quoted[0] !== 128) return { raw, reply: null, error: null, quoteKey };
  const error: ErrorSight = {
    identifier: u16(quoted, 4),
    payload: quoted,
    destination: inner.subarray(24, 40),
    offender: source,
    type,
    code: icmp[1] as number,
    info: u32(icmp, 4),
    ttl: hopLimit,
  };
  return { raw, reply: null, error, quoteKey };
}

/** What each socket may see of `datagram`, sent as it is on loopback. */
export function foresee(family: 4 | 6, datagram: Uint8Array): Sights {
  return family === 4 ? foresee4(datagram) : foresee6(datagram);
}

/**
 * For an ICMP error that a raw socket received and nothing crafted: the quoteKey of the
 * datagram it quotes, if the kernel made it about one of ours (it answers some of them with
 * parameter problems, protocol unreachables, reassembly time-outs). `bytes` as the raw socket
 * got them: IPv4 header included for IPv4.
 */
export function kernelErrorKey(family: 4 | 6, bytes: Uint8Array): string | null {
  if (family === 4) {
    if (bytes.length < 20) return null;
    const icmp = bytes.subarray(((bytes[0] as number) & 0x0f) * 4);
    if (icmp.length < 8 + 20 || !V4_ERROR_TYPES.has(icmp[0] as number)) return null;
    const inner = icmp.subarray(8);
    return `4:${hexKey(inner.subarray(((inner[0] as number) & 0x0f) * 4), 8)}`;
  }
  if (bytes.length < 8 + 40 || !V6_ERROR_TYPES.has(bytes[0] as number)) return null;
  return `6:${hexKey(bytes.subarray(8), 40)}`;
}

/** Address text to bytes, for comparisons with what the addon delivered. */
export function addressBytes(family: 4 | 6, text: string): Uint8Array {
  return family === 4 ? Uint8Array.from(text.split('.').map(Number)) : Uint8Array.from(v6(text));
}

import { internetChecksum } from './checksum.js';

/** Length of the per-session cookie at the start of every echo payload, in bytes. */
export const COOKIE_BYTES = 8;

/** What goes into an echo request besides its sequence number. */
export interface EchoRequestSpec {
  /** 4 (ICMP type 8) or 6 (ICMPv6 type 128). */
  family: 4 | 6;
  /** 16-bit echo identifier. */
  identifier: number;
  /** Payload ("data") size in bytes, the `-s` of ping; the cookie takes the first 8 of them. */
  size: number;
  /** The per-session cookie: random bytes that mark replies to this session. */
  cookie: Uint8Array;
  /** Fill pattern for the rest of the payload; default: byte i holds i & 0xff, as iputils fills it. */
  pattern?: Uint8Array;
}

/** Payload bytes for a spec: the cookie (cut to `size`), then the fill pattern. */
export function echoPayload(spec: EchoRequestSpec): Uint8Array {
  const payload = new Uint8Array(spec.size);
  const pattern = spec.pattern !== undefined && spec.pattern.length > 0 ? spec.pattern : null;
  for (let i = 0; i < spec.size; i++) {
    payload[i] = pattern === null ? i & 0xff : (pattern[i % pattern.length] as number);
  }
  payload.set(spec.cookie.subarray(0, Math.min(COOKIE_BYTES, spec.size)));
  return payload;
}

/**
 * An echo request's bytes with checksum and sequence zero: type, code 0, identifier, payload.
 * The templates below fill in the rest per send.
 */
export function echoRequestBytes(spec: EchoRequestSpec): Uint8Array {
  const bytes = new Uint8Array(8 + spec.size);
  bytes[0] = spec.family === 4 ? 8 : 128;
  bytes[4] = (spec.identifier >> 8) & 0xff;
  bytes[5] = spec.identifier & 0xff;
  bytes.set(echoPayload(spec), 8);
  return bytes;
}

/**
 * Writes the 16-bit `sequence` into `bytes` and the checksum whose one's complement sum is
 * `sum` (the fixed words' folded sum plus whatever changed, unfolded), RFC 1624 style.
 */
export function putSequenceAndChecksum(bytes: Uint8Array, sequence: number, sum: number): void {
  bytes[6] = sequence >> 8;
  bytes[7] = sequence & 0xff;
  let folded = (sum & 0xffff) + (sum >>> 16);
  folded = (folded & 0xffff) + (folded >>> 16);
  const checksum = ~folded & 0xffff;
  bytes[2] = checksum >> 8;
  bytes[3] = checksum & 0xff;
}

/**
 * Encodes one echo request in network byte order: type, code 0, checksum, identifier,
 * sequence, payload. The checksum is always filled in; the kernel recomputes it on ICMPv6
 * and datagram sockets, where it also owns the identifier.
 */
export function encodeEchoRequest(spec: EchoRequestSpec, sequence: number): Uint8Array {
  const template = new EchoRequestTemplate(spec);
  return template.withSequence(sequence);
}

/**
 * A reusable echo request whose sequence number changes per send. The checksum is updated
 * from a precomputed sum of the fixed words (RFC 1624 style), so a send costs O(1) whatever
 * the payload size.
 */
export class EchoRequestTemplate {
  /** The packet bytes; valid until the next `withSequence` call. */
  readonly bytes: Uint8Array;
  readonly #baseSum: number;

  constructor(spec: EchoRequestSpec) {
    this.bytes = echoRequestBytes(spec);
    // ~checksum over the packet with checksum and sequence zero = the folded sum of the rest.
    this.#baseSum = ~internetChecksum(this.bytes) & 0xffff;
  }

  /** Writes `sequence` (taken modulo 2^16) and its checksum; returns the packet bytes. */
  withSequence(sequence: number): Uint8Array {
    const seq = sequence & 0xffff;
    putSequenceAndChecksum(this.bytes, seq, this.#baseSum + seq);
    return this.bytes;
  }
}

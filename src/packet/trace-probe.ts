import { internetChecksum } from './checksum.js';
import { COOKIE_BYTES, echoRequestBytes, putSequenceAndChecksum, type EchoRequestSpec } from './echo-request.js';

/** Payload bytes a trace probe needs to keep its checksum constant: the cookie, then the balance word. */
export const BALANCED_MIN_SIZE = COOKIE_BYTES + 2;

/**
 * A trace's echo request, whose sequence changes per probe while its checksum does not: the
 * two payload bytes after the cookie hold the one's complement of the sequence, so the sum
 * over both words (and the checksum) is the same for every probe. Routers that balance flows
 * over equal-cost paths hash the first bytes of the ICMP header (type, code, checksum) where
 * a UDP header has its ports, so with the identifier fixed as well every probe of a run takes
 * one path, as Paris traceroute keeps it. With a payload under BALANCED_MIN_SIZE bytes there
 * is no room for the balance, and the checksum follows the sequence.
 */
export class TraceProbeTemplate {
  /** The packet bytes; valid until the next `withSequence` call. */
  readonly bytes: Uint8Array;
  readonly #balanced: boolean;
  readonly #baseSum: number;

  constructor(spec: EchoRequestSpec) {
    const bytes = echoRequestBytes(spec);
    this.#balanced = spec.size >= BALANCED_MIN_SIZE;
    if (this.#balanced) {
      bytes[8 + COOKIE_BYTES] = 0;
      bytes[9 + COOKIE_BYTES] = 0;
    }
    this.bytes = bytes;
    // The folded sum of every word but the checksum, the sequence and the balance (all zero now).
    this.#baseSum = ~internetChecksum(bytes) & 0xffff;
  }

  /** Writes `sequence` (taken modulo 2^16), its balance and the checksum; returns the packet bytes. */
  withSequence(sequence: number): Uint8Array {
    const seq = sequence & 0xffff;
    if (this.#balanced) {
      const balance = ~seq & 0xffff;
      this.bytes[8 + COOKIE_BYTES] = balance >> 8;
      this.bytes[9 + COOKIE_BYTES] = balance & 0xff;
    }
    // With the balance, seq + ~seq is 0xffff, one's complement zero: the same whatever the sequence.
    putSequenceAndChecksum(this.bytes, seq, this.#baseSum + (this.#balanced ? 0xffff : seq));
    return this.bytes;
  }
}

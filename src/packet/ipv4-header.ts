import { formatIpv4 } from './address.js';

/** The IPv4 protocol number of ICMP. */
export const IPPROTO_ICMP = 1;

/** A validated IPv4 header. */
export interface Ipv4Header {
  /** Header length in bytes: IHL * 4, from 20 to 60. */
  readonly headerLength: number;
  readonly tos: number;
  /** Total length field (header + data) in bytes. */
  readonly totalLength: number;
  readonly identification: number;
  /** Fragment offset in bytes. */
  readonly fragmentOffset: number;
  readonly moreFragments: boolean;
  readonly ttl: number;
  readonly protocol: number;
  /** Source address (canonical text; formatted when first read). */
  readonly source: string;
  /** Destination address (canonical text; formatted when first read). */
  readonly destination: string;
  /** The option bytes (headerLength - 20 of them), a view into the input. */
  readonly options: Uint8Array;
}

/**
 * Parses the IPv4 header at the start of `bytes`, by its own IHL (never a fixed 20 bytes).
 * Total: returns null for anything that is not a whole, well-formed header: fewer than 20
 * bytes, version other than 4, IHL below 5, IHL*4 beyond the bytes given, or a total length
 * shorter than the header. Options are returned as bytes and never walked here.
 */
export function parseIpv4Header(bytes: Uint8Array): Ipv4Header | null {
  if (bytes.length < 20) return null;
  const b0 = bytes[0] as number;
  if (b0 >> 4 !== 4) return null;
  const headerLength = (b0 & 0x0f) * 4;
  if (headerLength < 20 || headerLength > bytes.length) return null;
  const totalLength = ((bytes[2] as number) << 8) | (bytes[3] as number);
  if (totalLength < headerLength) return null;
  return new ParsedIpv4Header(bytes, headerLength, totalLength);
}

// Fields are read from the bytes when asked for; the receive path of a sweep reads two or
// three of them per packet, and prototype getters cost nothing per packet.
class ParsedIpv4Header implements Ipv4Header {
  readonly #bytes: Uint8Array;
  readonly headerLength: number;
  readonly totalLength: number;

  constructor(bytes: Uint8Array, headerLength: number, totalLength: number) {
    this.#bytes = bytes;
    this.headerLength = headerLength;
    this.totalLength = totalLength;
  }

  #word(at: number): number {
    return ((this.#bytes[at] as number) << 8) | (this.#bytes[at + 1] as number);
  }

  get tos(): number {
    return this.#bytes[1] as number;
  }
  get identification(): number {
    return this.#word(4);
  }
  get fragmentOffset(): number {
    return (this.#word(6) & 0x1fff) * 8;
  }
  get moreFragments(): boolean {
    return (this.#word(6) & 0x2000) !== 0;
  }
  get ttl(): number {
    return this.#bytes[8] as number;
  }
  get protocol(): number {
    return this.#bytes[9] as number;
  }
  get source(): string {
    return formatIpv4(this.#bytes, 12);
  }
  get destination(): string {
    return formatIpv4(this.#bytes, 16);
  }
  get options(): Uint8Array {
    return this.#bytes.subarray(20, this.headerLength);
  }
}

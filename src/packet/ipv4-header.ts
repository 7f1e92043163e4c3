import { formatIpv4 } from './address.js';

/** A validated IPv4 header. */
export interface Ipv4Header {
  /** Header length in bytes: IHL * 4, from 20 to 60. */
  headerLength: number;
  tos: number;
  /** Total length field (header + data) in bytes. */
  totalLength: number;
  identification: number;
  /** Fragment offset in bytes. */
  fragmentOffset: number;
  moreFragments: boolean;
  ttl: number;
  protocol: number;
  source: string;
  destination: string;
  /** The option bytes (headerLength - 20 of them), a view into the input. */
  options: Uint8Array;
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
  const flagsFragment = ((bytes[6] as number) << 8) | (bytes[7] as number);
  return {
    headerLength,
    tos: bytes[1] as number,
    totalLength,
    identification: ((bytes[4] as number) << 8) | (bytes[5] as number),
    fragmentOffset: (flagsFragment & 0x1fff) * 8,
    moreFragments: (flagsFragment & 0x2000) !== 0,
    ttl: bytes[8] as number,
    protocol: bytes[9] as number,
    source: formatIpv4(bytes, 12),
    destination: formatIpv4(bytes, 16),
    options: bytes.subarray(20, headerLength),
  };
}

import { decodeIcmp } from './decode-icmp.js';
import { decodeIcmpv6 } from './decode-icmpv6.js';
import type { IcmpMessage } from './icmp-message.js';
import { IPPROTO_ICMP, type Ipv4Header, parseIpv4Header } from './ipv4-header.js';

/**
 * A received datagram decoded, or the reason it was dropped. `truncated`: the datagram was
 * cut short (by the kernel, or shorter than its IPv4 total length).
 */
export type DecodedDatagram = { kind: 'icmp'; message: IcmpMessage; ip: Ipv4Header | null; truncated: boolean } | { kind: 'ignored'; reason: string };

/**
 * Decodes one datagram as read from an ICMP socket. Raw IPv4 sockets deliver the IP header,
 * which is skipped by its real length; every other socket delivers the ICMP message alone.
 * Total: never throws, never reads past `bytes`.
 *
 * @param bytes the received bytes
 * @param family 4 or 6
 * @param withIpHeader true for raw IPv4 sockets
 * @param truncated true when the kernel had more bytes than were received
 */
export function decodeReceived(bytes: Uint8Array, family: 4 | 6, withIpHeader: boolean, truncated = false): DecodedDatagram {
  if (family === 6) {
    const message = decodeIcmpv6(bytes);
    return message === null ? { kind: 'ignored', reason: 'short ICMPv6 message' } : { kind: 'icmp', message, ip: null, truncated };
  }
  if (!withIpHeader) {
    const message = decodeIcmp(bytes, !truncated);
    return message === null ? { kind: 'ignored', reason: 'short ICMP message' } : { kind: 'icmp', message, ip: null, truncated };
  }
  const ip = parseIpv4Header(bytes);
  if (ip === null) return { kind: 'ignored', reason: 'malformed IPv4 header' };
  if (ip.protocol !== IPPROTO_ICMP) return { kind: 'ignored', reason: 'not ICMP' };
  if (ip.fragmentOffset !== 0) return { kind: 'ignored', reason: 'IPv4 fragment' };
  // The total length bounds the message when the kernel handed over trailing bytes; a total
  // beyond what arrived means the datagram was cut short and its checksum cannot be checked.
  const end = Math.min(ip.totalLength, bytes.length);
  const complete = !truncated && ip.totalLength <= bytes.length;
  const message = decodeIcmp(bytes.subarray(ip.headerLength, end), complete);
  return message === null ? { kind: 'ignored', reason: 'short ICMP message' } : { kind: 'icmp', message, ip, truncated: !complete };
}

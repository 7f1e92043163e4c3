import { formatIpv6 } from './address.js';
import type { QuotedProbe } from './icmp-message.js';
import { IPPROTO_ICMP, parseIpv4Header } from './ipv4-header.js';

const ICMP_ECHO_REQUEST = 8;
const ICMPV6_ECHO_REQUEST = 128;
const IPPROTO_ICMPV6 = 58;
// IPv6 extension headers that may sit between the quoted header and ICMPv6.
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTH = 51;
const DEST_OPTIONS = 60;
const MAX_EXTENSION_HEADERS = 8;

function echoAt(bytes: Uint8Array, at: number, source: string, destination: string, type: number): QuotedProbe | null {
  if (at + 8 > bytes.length) return null;
  if (bytes[at] !== type || bytes[at + 1] !== 0) return null;
  return {
    source,
    destination,
    identifier: ((bytes[at + 4] as number) << 8) | (bytes[at + 5] as number),
    sequence: ((bytes[at + 6] as number) << 8) | (bytes[at + 7] as number),
    payload: bytes.subarray(at + 8),
  };
}

/**
 * Parses the datagram quoted by an ICMP error: the inner IPv4 header by its own IHL, then
 * at least 8 bytes of an echo request. Null for a quote under 28 bytes, an inner IHL below
 * 5, an inner header longer than the quote, a non-ICMP protocol (TCP, UDP...), a later
 * fragment, or anything other than an echo request.
 */
export function parseQuotedIpv4(quote: Uint8Array): QuotedProbe | null {
  if (quote.length < 28) return null;
  const inner = parseIpv4Header(quote);
  if (inner === null || inner.protocol !== IPPROTO_ICMP || inner.fragmentOffset !== 0) return null;
  return echoAt(quote, inner.headerLength, inner.source, inner.destination, ICMP_ECHO_REQUEST);
}

/**
 * Parses the packet quoted by an ICMPv6 error: the 40-byte IPv6 header, extension headers
 * walked within the quote's bounds (at most 8 of them), then an echo request.
 */
export function parseQuotedIpv6(quote: Uint8Array): QuotedProbe | null {
  if (quote.length < 48) return null;
  if ((quote[0] as number) >> 4 !== 6) return null;
  let next = quote[6] as number;
  let at = 40;
  for (let hops = 0; next !== IPPROTO_ICMPV6; hops++) {
    if (hops >= MAX_EXTENSION_HEADERS || at + 8 > quote.length) return null;
    if (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTIONS) {
      const length = ((quote[at + 1] as number) + 1) * 8;
      next = quote[at] as number;
      at += length;
    } else if (next === FRAGMENT) {
      const offset = (((quote[at + 2] as number) << 8) | (quote[at + 3] as number)) >> 3;
      if (offset !== 0) return null;
      next = quote[at] as number;
      at += 8;
    } else if (next === AUTH) {
      const length = ((quote[at + 1] as number) + 2) * 4;
      next = quote[at] as number;
      at += length;
    } else {
      return null;
    }
  }
  return echoAt(quote, at, formatIpv6(quote, 8), formatIpv6(quote, 24), ICMPV6_ECHO_REQUEST);
}

/**
 * The probe a datagram socket's error queue hands back with an ICMP error: our echo request
 * as sent, with no IP header, so the destination comes from the queue entry's address. Null
 * unless the bytes hold an echo request of `family`.
 */
export function parseQueuedProbe(bytes: Uint8Array, family: 4 | 6, destination: string): QuotedProbe | null {
  return echoAt(bytes, 0, '', destination, family === 4 ? ICMP_ECHO_REQUEST : ICMPV6_ECHO_REQUEST);
}

import { formatIpv6 } from './address.js';
import type { IcmpMessage } from './icmp-message.js';
import { parseQuotedIpv6 } from './quoted-probe.js';

const REDIRECTED_HEADER_OPTION = 4;
const MAX_NDP_OPTIONS = 16;

// RFC 4861 4.5: a redirect carries NDP options; option 4 holds the redirected packet.
function redirectedPacket(bytes: Uint8Array): Uint8Array | null {
  let at = 40;
  for (let i = 0; i < MAX_NDP_OPTIONS && at + 8 <= bytes.length; i++) {
    const units = bytes[at + 1] as number;
    if (units === 0) return null;
    const end = Math.min(at + units * 8, bytes.length);
    if (bytes[at] === REDIRECTED_HEADER_OPTION) return bytes.subarray(at + 8, end);
    at += units * 8;
  }
  return null;
}

/**
 * Decodes an ICMPv6 message that starts at byte 0 of `bytes` (the kernel strips the IPv6
 * header on ICMPv6 sockets and verifies the checksum, so `checksumOk` is null). Total: any
 * input gives a message or null (fewer than 8 bytes).
 */
export function decodeIcmpv6(bytes: Uint8Array): IcmpMessage | null {
  if (bytes.length < 8) return null;
  const type = bytes[0] as number;
  const code = bytes[1] as number;
  const base = { family: 6 as const, type, code, length: bytes.length, checksumOk: null };
  const word = (at: number): number => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  const long = (at: number): number => word(at) * 0x10000 + word(at + 2);
  const error = { mtu: null, pointer: null, gateway: null };
  switch (type) {
    case 128:
    case 129:
      return {
        ...base,
        kind: type === 129 ? 'echo-reply' : 'echo-request',
        identifier: word(4),
        sequence: word(6),
        payload: bytes.subarray(8),
      };
    case 1:
      return { ...base, ...error, kind: 'destination-unreachable', quoted: parseQuotedIpv6(bytes.subarray(8)) };
    case 2:
      return { ...base, ...error, kind: 'packet-too-big', mtu: long(4), quoted: parseQuotedIpv6(bytes.subarray(8)) };
    case 3:
      return { ...base, ...error, kind: 'time-exceeded', quoted: parseQuotedIpv6(bytes.subarray(8)) };
    case 4:
      return { ...base, ...error, kind: 'parameter-problem', pointer: long(4), quoted: parseQuotedIpv6(bytes.subarray(8)) };
    case 137: {
      if (bytes.length < 40) return { ...base, kind: 'other' };
      const inner = redirectedPacket(bytes);
      return {
        ...base,
        ...error,
        kind: 'redirect',
        gateway: formatIpv6(bytes, 8),
        quoted: inner === null ? null : parseQuotedIpv6(inner),
      };
    }
    default:
      return { ...base, kind: 'other' };
  }
}

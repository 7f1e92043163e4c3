import { formatIpv6 } from './address.js';
import { errorKind, type IcmpMessage } from './icmp-message.js';
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
  const length = bytes.length;
  const word = (at: number): number => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  const long = (at: number): number => word(at) * 0x10000 + word(at + 2);
  // Object literals written out in full (no spreads), as in decodeIcmp: once per packet.
  switch (type) {
    case 128:
    case 129:
      return {
        family: 6,
        type,
        code,
        length,
        checksumOk: null,
        kind: type === 129 ? 'echo-reply' : 'echo-request',
        identifier: word(4),
        sequence: word(6),
        payload: bytes.subarray(8),
      };
    default: {
      // errorKind is the one place that says which ICMPv6 types are errors.
      const kind = errorKind(6, type);
      if (kind === null || (type === 137 && length < 40)) return { family: 6, type, code, length, checksumOk: null, kind: 'other' };
      const quote = type === 137 ? redirectedPacket(bytes) : bytes.subarray(8);
      return {
        family: 6,
        type,
        code,
        length,
        checksumOk: null,
        kind,
        quoted: quote === null ? null : parseQuotedIpv6(quote),
        mtu: type === 2 ? long(4) : null,
        pointer: type === 4 ? long(4) : null,
        gateway: type === 137 ? formatIpv6(bytes, 8) : null,
      };
    }
  }
}

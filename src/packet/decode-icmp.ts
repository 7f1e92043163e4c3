import { formatIpv4 } from './address.js';
import { internetChecksum } from './checksum.js';
import { errorKind, type IcmpMessage } from './icmp-message.js';
import { parseQuotedIpv4 } from './quoted-probe.js';

/**
 * Decodes an ICMP (IPv4) message that starts at byte 0 of `bytes`. Total: any input gives a
 * message or null (fewer than 8 bytes), never an exception, never a read past the end.
 *
 * @param bytes the ICMP message (IP header already removed)
 * @param complete false when the datagram was cut short, so the checksum cannot be checked
 */
export function decodeIcmp(bytes: Uint8Array, complete = true): IcmpMessage | null {
  if (bytes.length < 8) return null;
  const type = bytes[0] as number;
  const code = bytes[1] as number;
  const length = bytes.length;
  const checksumOk = complete ? internetChecksum(bytes) === 0 : null;
  const word = (at: number): number => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  // Object literals written out in full (no spreads): this runs once per received packet.
  switch (type) {
    case 0:
    case 8:
      return {
        family: 4,
        type,
        code,
        length,
        checksumOk,
        kind: type === 0 ? 'echo-reply' : 'echo-request',
        identifier: word(4),
        sequence: word(6),
        payload: bytes.subarray(8),
      };
    default: {
      // errorKind is the one place that says which ICMP types are errors.
      const kind = errorKind(4, type);
      if (kind === null) return { family: 4, type, code, length, checksumOk, kind: 'other' };
      return {
        family: 4,
        type,
        code,
        length,
        checksumOk,
        kind,
        quoted: parseQuotedIpv4(bytes.subarray(8)),
        mtu: type === 3 && code === 4 ? word(6) : null,
        pointer: type === 12 ? (bytes[4] as number) : null,
        gateway: type === 5 ? formatIpv4(bytes, 4) : null,
      };
    }
  }
}

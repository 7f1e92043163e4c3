// The decoded forms of ICMP and ICMPv6 messages: one discriminated union for both families,
// so the pinger matches replies and errors without caring which family it is on.

/** An echo request of ours as quoted inside an ICMP error (RFC 792: IP header + 8 bytes or more). */
export interface QuotedProbe {
  /** Source address of the quoted datagram (canonical text). */
  source: string;
  /** Destination address of the quoted datagram: the target the probe was sent to. */
  destination: string;
  /** Echo identifier of the quoted request. */
  identifier: number;
  /** Echo sequence number of the quoted request (16-bit wire value). */
  sequence: number;
  /** The part of the quoted echo payload the router included (often empty). */
  payload: Uint8Array;
}

interface MessageBase {
  /** 4 for ICMP, 6 for ICMPv6. */
  family: 4 | 6;
  /** ICMP type as on the wire. */
  type: number;
  /** ICMP code as on the wire. */
  code: number;
  /** Length of the ICMP message in bytes (header included), as received. */
  length: number;
  /**
   * Whether the ICMP checksum verifies: null when it was not checked here (ICMPv6, whose
   * checksum the kernel verifies, or a message cut short so the sum cannot be computed).
   */
  checksumOk: boolean | null;
}

/** Echo reply or echo request. */
export interface EchoMessage extends MessageBase {
  kind: 'echo-reply' | 'echo-request';
  identifier: number;
  sequence: number;
  /** The echo data after the 8-byte header. */
  payload: Uint8Array;
}

/** An ICMP error message; `quoted` is null when the quoted datagram is not an echo request. */
export interface ErrorMessage extends MessageBase {
  kind: 'destination-unreachable' | 'packet-too-big' | 'time-exceeded' | 'parameter-problem' | 'redirect' | 'source-quench';
  quoted: QuotedProbe | null;
  /** Next-hop MTU for "fragmentation needed" (IPv4 code 4) and "packet too big" (IPv6), else null. */
  mtu: number | null;
  /** Parameter problem pointer, else null. */
  pointer: number | null;
  /** Redirect gateway (canonical text), else null. */
  gateway: string | null;
}

/** Any other type: informational messages, unknown types. */
export interface OtherMessage extends MessageBase {
  kind: 'other';
}

/** A decoded ICMP or ICMPv6 message. */
export type IcmpMessage = EchoMessage | ErrorMessage | OtherMessage;

/** True for the error kinds, which quote the datagram they are about. */
export function isErrorMessage(message: IcmpMessage): message is ErrorMessage {
  return message.kind !== 'echo-reply' && message.kind !== 'echo-request' && message.kind !== 'other';
}

/** The error kind of an ICMP type in a family, or null when the type is not an error. */
export function errorKind(family: 4 | 6, type: number): ErrorMessage['kind'] | null {
  if (family === 4) {
    return type === 3
      ? 'destination-unreachable'
      : type === 4
        ? 'source-quench'
        : type === 5
          ? 'redirect'
          : type === 11
            ? 'time-exceeded'
            : type === 12
              ? 'parameter-problem'
              : null;
  }
  return type === 1
    ? 'destination-unreachable'
    : type === 2
      ? 'packet-too-big'
      : type === 3
        ? 'time-exceeded'
        : type === 4
          ? 'parameter-problem'
          : type === 137
            ? 'redirect'
            : null;
}

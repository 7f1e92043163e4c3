// What the pinger needs from a socket. The real IcmpSocket implements it over the addon;
// tests implement it with a fake that answers on a virtual clock.

/** Socket kinds: raw (SOCK_RAW: root or CAP_NET_RAW) or datagram (SOCK_DGRAM ICMP, ping_group_range). */
export type SocketKind = 'raw' | 'dgram';

/** How to open: 'raw' (root or CAP_NET_RAW), 'dgram' (ping_group_range), 'auto' (raw when permitted, else dgram). */
export type SocketMode = SocketKind | 'auto';

/**
 * Path MTU discovery (ping -M): 'do' never fragments (a probe above the path MTU fails with
 * EMSGSIZE, or the router answers Frag needed), 'want' fragments when the path needs it,
 * 'probe' sets DF but ignores the path MTU, 'dont' never sets DF.
 */
export type PmtuMode = 'do' | 'want' | 'probe' | 'dont';

/** Details of an ICMP error read from a datagram socket's error queue (IP_RECVERR). */
export interface ErrorQueueInfo {
  /** errno the kernel attached, e.g. 113 (EHOSTUNREACH). */
  errno: number;
  /** SO_EE_ORIGIN_*: 1 local, 2 ICMP, 3 ICMPv6. */
  origin: number;
  /** ICMP type and code of the error. */
  type: number;
  code: number;
  /** ee_info: the MTU for "fragmentation needed" / "packet too big". */
  info: number;
  /** Address of the host that sent the error (canonical text), or null. */
  offender: string | null;
}

/** One datagram as received. */
export interface ReceivedPacket {
  /** The bytes received (raw IPv4: IP header included). Owned by this packet; never reused. */
  bytes: Uint8Array;
  /**
   * Source address (canonical text). For an error-queue entry this is the destination the
   * failed probe was sent to; the router that reported it is in `errorQueue.offender`.
   */
  source: string;
  /** IPv6 scope id of the source, 0 otherwise. */
  scopeId: number;
  /** Kernel receive stamp, CLOCK_MONOTONIC nanoseconds (same clock as send stamps). */
  recvNs: number;
  /** TTL / hop limit from a control message, -1 when none came (raw IPv4: read the header). */
  ttl: number;
  /** True when the datagram was longer than what was received. */
  truncated: boolean;
  /** Length the kernel reported for the datagram, in bytes. */
  wireLength: number;
  /** Set for entries read from the error queue of a datagram socket. */
  errorQueue: ErrorQueueInfo | null;
}

/** What a batch send did. */
export interface BatchSendResult {
  sent: number;
  stampNs: number;
  error?: Error;
}

/** The socket surface the pinger uses. */
export interface SocketLike {
  /** 4 or 6. */
  readonly family: 4 | 6;
  readonly kind: SocketKind;
  /**
   * The echo identifier replies to this socket carry: chosen at random for raw sockets, by
   * the kernel for datagram sockets.
   */
  readonly identifier: number;
  /** Sends `bytes` to `address`; returns the send stamp (CLOCK_MONOTONIC ns). Throws SocketError. */
  send(bytes: Uint8Array, address: string, scopeId?: number): number;
  /**
   * Optional: sends many packets of one length in as few system calls as it can (sendmmsg).
   * `stampNs` is the send stamp of them all; a failure stops the batch after `sent` packets,
   * with `error` (a SocketError) for the next one.
   */
  sendBatch?(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): BatchSendResult;
  /** Sets the handler that receives each batch of packets, and the one for socket failures. */
  listen(onPackets: (packets: ReceivedPacket[]) => void, onError: (error: Error) => void): void;
  /** Largest datagram to receive whole, in bytes. */
  setMaxPacketSize(bytes: number): void;
  /** Keep the event loop alive while the socket is open (on by default). */
  ref(): void;
  /** Let the process exit even though the socket is open. */
  unref(): void;
  /** Idempotent. A closed socket is never reopened. */
  close(): void;
  readonly closed: boolean;
}

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

/**
 * What a socket is set up with when it is opened: the engine gives runs that ask for the same
 * settings one socket, and the socket applies them.
 */
export interface SocketSettings {
  /** Unicast TTL / hop limit, 1-255; default: the kernel's. */
  ttl?: number;
  /** IPv4 TOS / IPv6 traffic class, 0-255; default 0. */
  tos?: number;
  /** Local address to send from. */
  source?: string;
  /** Network interface to bind to (SO_BINDTODEVICE). */
  interface?: string;
  /** Allow broadcast destinations (SO_BROADCAST). Default false. */
  broadcast?: boolean;
  /** Path MTU discovery (IP_MTU_DISCOVER / IPV6_MTU_DISCOVER), ping -M. Default: the kernel's (want). */
  pmtu?: PmtuMode;
  /** SO_MARK, 0 to 2^32-1 (needs CAP_NET_ADMIN), ping -m. Default: none. */
  mark?: number;
  /** SO_SNDBUF in bytes, ping -S. Default: the kernel's. */
  sendBuffer?: number;
  /** SO_DEBUG, ping -d. Default false. */
  debug?: boolean;
  /** SO_DONTROUTE: only hosts on a directly attached network, ping -r. Default false. */
  dontRoute?: boolean;
  /** false turns multicast loopback off (IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP), ping -L. Default: on. */
  multicastLoop?: boolean;
  /** IPv4 options every probe carries (IP_OPTIONS): record route, timestamps; ignored by IPv6 sockets. Default none. */
  ipOptions?: Uint8Array;
  /** IPv6 flow label, 0 to 0xfffff, taken towards the first destination (ping -F); ignored by IPv4 sockets. Default none. */
  flowLabel?: number;
  /** connect() to the first destination sent to (ping -C). Default false. */
  connect?: boolean;
  /** bind() to the source address the route gives the first destination, before that first send (ping -B). Raw sockets only. Default false. */
  strictSource?: boolean;
  /** Receive stamps taken when the program reads the reply, not by the kernel (ping -U: user-to-user latency). Default false. */
  userLatency?: boolean;
}

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
  /**
   * Set (non-zero) when the socket sent a datagram queued with queueSends() right after it
   * received this one: that datagram's send stamp (CLOCK_MONOTONIC ns).
   */
  sentAfterNs?: number;
  /** Set instead of sentAfterNs when that send failed (a SocketError). */
  sentAfterError?: Error;
  /**
   * True for a record with no datagram: only the report (sentAfterNs or sentAfterError) of a
   * queued datagram the socket sent because one was owed (queueSends' `kick`).
   */
  sendReport?: boolean;
  /**
   * True when the socket had nothing queued to send on this datagram: it owes one, which goes
   * as soon as one is queued (see queueSends).
   */
  sendOwed?: boolean;
  /** True when the send due on this datagram was withheld, as asked (withholdSends). */
  sendWithheld?: boolean;
  /**
   * Set for a record with no datagram: what became of a batch given to sendBatchOnThread(),
   * and the callback given with it, for the listener to call in its turn among the packets.
   */
  batchReport?: { result: BatchSendResult; done: (result: BatchSendResult) => void };
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
   * Optional: sends `bytes` with this datagram's own TTL / hop limit (1-255), whatever the
   * socket's is, so one socket serves every hop of a trace; returns the send stamp
   * (CLOCK_MONOTONIC ns). Throws SocketError.
   */
  sendWithHopLimit?(bytes: Uint8Array, address: string, scopeId: number, hopLimit: number): number;
  /**
   * Optional: sends many packets of one length in as few system calls as it can (sendmmsg).
   * `stampNs` is the send stamp of them all; a failure stops the batch after `sent` packets,
   * with `error` (a SocketError) for the next one.
   */
  sendBatch?(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): BatchSendResult;
  /**
   * Optional: as sendBatch, but another thread makes the system calls while this one goes on;
   * what they did reaches the listener as a packet of its own (`batchReport`, with `done`),
   * after the packets read before and before any reply to the batch. Reports come in the order
   * the batches were given; a socket closed before it sent a batch reports it with nothing
   * sent and an error. False when the socket cannot (then nothing was sent, and nothing will
   * be reported).
   */
  sendBatchOnThread?(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[], done: (result: BatchSendResult) => void): boolean;
  /**
   * Sets the handler that receives each batch of packets, and the one for socket failures.
   * `kernelDrops` is the kernel's drop counter for the socket as of the batch, when the socket
   * knows it (see kernelDrops()).
   */
  listen(onPackets: (packets: ReceivedPacket[], kernelDrops?: number) => void, onError: (error: Error) => void): void;
  /** Largest datagram to receive whole, in bytes. */
  setMaxPacketSize(bytes: number): void;
  /**
   * Optional: makes the kernel's receive queue at least `bytes` long, as the kernel counts it
   * (getsockopt SO_RCVBUF), where the process may; never shrinks it. Returns the size it has.
   */
  setReceiveBuffer?(bytes: number): number;
  /**
   * Optional: the kernel's count of datagrams it discarded at this socket because the receive
   * queue was full, now (32 bits, wrapping). The kernel's own figure: on a raw socket it also
   * counts datagrams for other programs that arrived while the queue was full, and some kernels
   * count one discarded datagram twice.
   */
  kernelDrops?(): number;
  /**
   * Optional: reads what is queued now and hands it to the listener before returning (nothing
   * when called from inside the listener): a timer about to count probes lost first sees the
   * replies that wait unread.
   */
  drain?(): void;
  /**
   * Optional: adds `count` datagrams of `packetLength` bytes laid end to end in `packets`
   * (copied) to the socket's queue, sent to `address` one per datagram it receives, in order,
   * never after CLOCK_MONOTONIC `notAfterNs` (0: no such time); `kick` of them go at once, and
   * one for each datagram received while nothing was queued (sendOwed). Each
   * send is reported in order, in the batch of the datagram that let it go (sentAfterNs,
   * sentAfterError) or in a record of its own (sendReport). A failed send ends the queue. The
   * socket never looks inside them.
   */
  queueSends?(packets: Uint8Array, packetLength: number, count: number, address: string, scopeId: number, notAfterNs: number, kick: number): void;
  /**
   * Optional: drops what is still queued. The reports of what went reach the listener before
   * this returns, except when called from inside the listener: then right after, and this
   * returns how many are to come.
   */
  unqueueSends?(): number;
  /**
   * Optional: the next `n` datagrams received get no send (each marked sendWithheld): how a
   * session keeps its pace when datagrams that called for no probe got one.
   */
  withholdSends?(n: number): void;
  /** Keep the event loop alive while the socket is open (on by default). */
  ref(): void;
  /** Let the process exit even though the socket is open. */
  unref(): void;
  /** Idempotent. A closed socket is never reopened. */
  close(): void;
  readonly closed: boolean;
}

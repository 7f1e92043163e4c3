import type { SocketSpec } from '../../src/pinger/engine.js';
import { SocketError } from '../../src/errors.js';
import type { ReceivedPacket, SocketKind, SocketLike } from '../../src/os/socket-like.js';
import { icmpEcho, icmpMessage, icmpv6Echo, ipv4Datagram, rest32 } from './packet-builders.js';
import type { VirtualClock } from './virtual-clock.js';

/** An echo request the fake socket was asked to send. */
export interface SentPacket {
  family: 4 | 6;
  address: string;
  bytes: Uint8Array;
  identifier: number;
  sequence: number;
  payload: Uint8Array;
  atMs: number;
  sentNs: number;
}

/** What a scripted host does with each request: answer after delays (one per copy), or not. */
export type Responder = (request: SentPacket) => { delaysMs: number[]; mutate?: (reply: Uint8Array) => Uint8Array; from?: string } | null;

/** Builds the echo reply to `request`: same identifier, sequence and payload, type 0 / 129. */
export function echoReplyFor(request: SentPacket): Uint8Array {
  // ICMPv6 checksums are the kernel's to verify (and rawping's decoder leaves them alone).
  return request.family === 4
    ? icmpEcho(0, request.identifier, request.sequence, request.payload)
    : icmpv6Echo(129, request.identifier, request.sequence, request.payload);
}

/** Wraps an ICMP message in an IPv4 header, as a raw IPv4 socket delivers it. */
export function withIpv4Header(icmp: Uint8Array, source: string, destination = '10.0.0.1', ttl = 64): Uint8Array {
  return ipv4Datagram({ source, destination, ttl, identification: 0, flags: 0 }, icmp);
}

/** An ICMP error (type/code) from `router` quoting the IPv4 probe `request` with `quoteBytes` of its ICMP part. */
export function icmpErrorFor(request: SentPacket, type: number, code: number, quoteBytes = 8, rest = 0): Uint8Array {
  const innerIcmp = request.bytes.subarray(0, Math.min(quoteBytes, request.bytes.length));
  // The quoted header is the probe's own: its total length counts the whole probe, not the quote.
  const inner = ipv4Datagram(
    { source: '10.0.0.1', destination: request.address, totalLength: 20 + request.bytes.length, identification: 0, flags: 0 },
    innerIcmp,
  );
  return icmpMessage(type, code, rest32(rest), inner);
}

/** A fake raw socket: records sends, and lets a test (or responders) deliver packets at virtual times. */
export class FakeSocket implements SocketLike {
  readonly family: 4 | 6;
  readonly kind: SocketKind;
  readonly identifier: number;
  closed = false;
  referenced = true;
  maxPacket = 0;
  /** The kernel's drop counter this fake reports (kernelDrops(), and with each delivery); a test raises it. */
  drops = 0;
  /** Present when the network has `queueBytes`: the receive queue a socket then says it has, whatever is asked. */
  setReceiveBuffer?: (bytes: number) => number;
  /** Present when the network is `clocked`: datagrams held to send one per datagram delivered, as the addon does. */
  queueSends?: (packets: Uint8Array, packetLength: number, count: number, address: string, scopeId: number, notAfterNs: number, kick: number) => void;
  unqueueSends?: () => number;
  withholdSends?: (n: number) => void;
  #queued: { packets: Uint8Array[]; address: string; notAfterNs: number } = { packets: [], address: '', notAfterNs: 0 };
  // Reports of datagrams sent because one was owed, not handed over yet: they go before the
  // next datagram delivered, or on the next turn, so that every report comes in send order.
  #reports: ReceivedPacket[] = [];
  #listening = false;
  // Datagrams received while nothing was queued (the addon's thread runs): each is owed a send once one is.
  #owed = 0;
  #withheld = 0;
  #active = false;
  #onPackets: (packets: ReceivedPacket[], kernelDrops?: number) => void = () => {};
  readonly #network: FakeNetwork;

  constructor(network: FakeNetwork, family: 4 | 6, kind: SocketKind, identifier: number) {
    this.#network = network;
    this.family = family;
    this.kind = kind;
    this.identifier = identifier;
    const queue = network.queueBytes;
    if (queue !== undefined) this.setReceiveBuffer = () => queue;
    if (network.clocked) {
      this.queueSends = (packets, length, count, address, _scopeId, notAfterNs, kick) => {
        for (let i = 0; i < count; i++) this.#queued.packets.push(packets.slice(i * length, (i + 1) * length));
        this.#queued.address = address;
        this.#queued.notAfterNs = notAfterNs;
        this.#active = true;
        const owed = kick + this.#owed;
        this.#owed = 0;
        for (let i = 0; i < owed; i++) {
          const report = this.#report();
          if (!this.#sendQueued(report)) break;
          this.#reports.push(report);
        }
        if (this.#reports.length > 0) this.#network.clock.setTimer(() => this.#flushReports(), 0);
      };
      this.withholdSends = (n) => {
        this.#withheld += n;
      };
      // As the addon: the reports not handed over go now, or after the batch being handed over.
      this.unqueueSends = () => {
        this.#queued.packets = [];
        this.#owed = 0;
        this.#withheld = 0;
        this.#active = false;
        if (this.#listening) return this.#reports.length;
        this.#flushReports();
        return 0;
      };
    }
  }

  #report(): ReceivedPacket {
    return { bytes: new Uint8Array(0), source: '', scopeId: 0, recvNs: 0, ttl: -1, truncated: false, wireLength: 0, errorQueue: null, sendReport: true };
  }

  #flushReports(): void {
    if (this.#reports.length === 0 || this.closed) return;
    const reports = this.#reports;
    this.#reports = [];
    this.#hand(reports);
  }

  #hand(packets: ReceivedPacket[]): void {
    this.#listening = true;
    try {
      this.#onPackets(packets, this.drops);
    } finally {
      this.#listening = false;
    }
  }

  // The addon's rule: on a datagram received, the next queued one goes (unless its time has
  // passed), before the batch reaches the listener; a failed send ends the queue.
  #sendQueued(packet: ReceivedPacket): boolean {
    const q = this.#queued;
    if (this.#active && this.#withheld > 0 && !packet.sendReport) {
      this.#withheld--;
      packet.sendWithheld = true;
      return false;
    }
    const bytes = q.packets.shift();
    if (bytes === undefined) {
      if (this.#active && !packet.sendReport) {
        this.#owed++;
        packet.sendOwed = true;
      }
      return false;
    }
    if (q.notAfterNs > 0 && this.#network.clock.now() * 1e6 > q.notAfterNs) {
      q.packets = [];
      return false;
    }
    try {
      // A stamp of 0 means "none" to the engine, as the addon's are never 0: the clock's start is just after.
      packet.sentAfterNs = Math.max(Number.MIN_VALUE, this.#network.handleSend(this, bytes, q.address));
      this.#network.queuedSends++;
      return true;
    } catch (error) {
      packet.sentAfterError = error as Error;
      q.packets = [];
      return true;
    }
  }

  send(bytes: Uint8Array, address: string): number {
    if (this.closed) throw new SocketError('EBADF', -9, 'sendto', 'sendto EBADF');
    return this.#network.handleSend(this, Uint8Array.from(bytes), address);
  }

  /** Batches are counted (`network.batches`) and sent packet by packet; a failure stops the batch. */
  sendBatch(packets: Uint8Array, packetLength: number, addresses: string[]): { sent: number; stampNs: number; error?: Error } {
    this.#network.batches.push(addresses.length);
    const stampNs = this.#network.clock.now() * 1e6;
    for (let i = 0; i < addresses.length; i++) {
      try {
        this.send(packets.subarray(i * packetLength, (i + 1) * packetLength), addresses[i] as string);
      } catch (error) {
        return { sent: i, stampNs, error: error as Error };
      }
    }
    return { sent: addresses.length, stampNs };
  }

  listen(onPackets: (packets: ReceivedPacket[], kernelDrops?: number) => void): void {
    this.#onPackets = onPackets;
  }

  kernelDrops(): number {
    return this.drops;
  }

  setMaxPacketSize(bytes: number): void {
    this.maxPacket = bytes;
  }

  ref(): void {
    this.referenced = true;
  }

  unref(): void {
    this.referenced = false;
  }

  close(): void {
    this.closed = true;
  }

  /** Delivers raw bytes as received now (IPv4 raw: with IP header). */
  deliver(bytes: Uint8Array, source: string, recvNs?: number, extra: Partial<ReceivedPacket> = {}): void {
    const ns = recvNs ?? this.#network.clock.now() * 1e6;
    const packet: ReceivedPacket = { bytes, source, scopeId: 0, recvNs: ns, ttl: -1, truncated: false, wireLength: bytes.length, errorQueue: null, ...extra };
    if (packet.errorQueue === null) this.#sendQueued(packet);
    const reports = this.#reports;
    this.#reports = [];
    this.#hand([...reports, packet]);
  }
}

/**
 * A scripted network on a virtual clock: sockets that record what is sent and responders
 * per address that decide when (and how often) each request is answered.
 */
export class FakeNetwork {
  readonly clock: VirtualClock;
  readonly sent: SentPacket[] = [];
  readonly sockets: FakeSocket[] = [];
  readonly responders = new Map<string, Responder>();
  /** Sizes of the batches sockets were asked to send. */
  readonly batches: number[] = [];
  /** Makes the next sends fail with this errno code (consumed one per send). */
  sendFailures: string[] = [];
  kind: SocketKind = 'raw';
  /** Set before sockets open: the receive queue they report (bytes), as a real socket's setReceiveBuffer does. */
  queueBytes: number | undefined = undefined;
  /** Set before sockets open: they can hold datagrams to send one per datagram received (queueSends), as the addon's. */
  clocked = false;
  /** Datagrams the sockets sent from their queues (counted in `sent` too). */
  queuedSends = 0;

  constructor(clock: VirtualClock) {
    this.clock = clock;
  }

  /** The opener to give an Engine. */
  readonly open = (family: 4 | 6, _spec: SocketSpec, identifier: number): FakeSocket => {
    const socket = new FakeSocket(this, family, this.kind, identifier);
    this.sockets.push(socket);
    return socket;
  };

  /** Answers every request to `address` after `delayMs`. */
  answer(address: string, delayMs = 1): void {
    this.responders.set(address, () => ({ delaysMs: [delayMs] }));
  }

  handleSend(socket: FakeSocket, bytes: Uint8Array, address: string): number {
    const failure = this.sendFailures.shift();
    if (failure !== undefined) throw new SocketError(failure, -1, 'sendto', `sendto ${failure} ${address}`);
    const atMs = this.clock.now();
    const request: SentPacket = {
      family: socket.family,
      address,
      bytes,
      identifier: (bytes[4]! << 8) | bytes[5]!,
      sequence: (bytes[6]! << 8) | bytes[7]!,
      payload: bytes.subarray(8),
      atMs,
      sentNs: atMs * 1e6,
    };
    this.sent.push(request);
    const plan = this.responders.get(address)?.(request) ?? null;
    if (plan !== null) {
      for (const delay of plan.delaysMs) {
        this.clock.setTimer(() => {
          let reply = echoReplyFor(request);
          if (plan.mutate) reply = plan.mutate(reply);
          const from = plan.from ?? address;
          socket.deliver(socket.family === 4 ? withIpv4Header(reply, from) : reply, from);
        }, delay);
      }
    }
    return request.sentNs;
  }
}
